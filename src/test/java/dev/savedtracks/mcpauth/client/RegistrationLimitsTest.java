package dev.savedtracks.mcpauth.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.mcpauth.McpAuthSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How open registration is bounded: per connection address (what a client writes in
 * {@code X-Forwarded-For} does not count; Tomcat replaces the address only where the
 * operator trusts forwarded headers), per IPv6 /64, and in total.
 */
class RegistrationLimitsTest {

	private final AtomicInteger pending = new AtomicInteger();

	private final RegistrationLimits limits = new RegistrationLimits("/oauth2/register", settings(3), this.pending::get,
			JsonMapper.builder().build());

	@Test
	void anAddressRegistersItsAllowanceWhateverForwardedForItClaims() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(register("203.0.113.7", "198.51.100." + i)).isEqualTo(200);
		}

		assertThat(register("203.0.113.7", "198.51.100.99")).isEqualTo(429);
		assertThat(register("203.0.113.8", null)).as("another address").isEqualTo(200);
	}

	@Test
	void anIpv6AddressCountsForItsWholeSlash64() throws Exception {
		for (String address : List.of("2001:db8::1", "2001:db8::2", "2001:db8:0:0:ffff::3")) {
			assertThat(register(address, null)).isEqualTo(200);
		}

		assertThat(register("2001:db8::4", null)).isEqualTo(429);
		assertThat(register("2001:db8:0:1::1", null)).as("another /64").isEqualTo(200);
	}

	@Test
	void nobodyRegistersWhileTooManyClientsWaitForAFirstAuthorization() throws Exception {
		this.pending.set(1000);

		assertThat(register("203.0.113.9", null)).isEqualTo(503);
	}

	private int register(String remoteAddress, String forwardedFor) throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/register");
		request.setRemoteAddr(remoteAddress);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.limits.doFilter(request, response, new MockFilterChain());
		return response.getStatus();
	}

	private static McpAuthSettings settings(int registrationsPerAddress) {
		return new McpAuthSettings("", Duration.ofMinutes(30), Duration.ofDays(30), Duration.ofMinutes(2),
				Duration.ofHours(24), 1000, registrationsPerAddress, Duration.ofSeconds(5), DataSize.ofKilobytes(5),
				Duration.ofHours(1), false, List.of());
	}

}
