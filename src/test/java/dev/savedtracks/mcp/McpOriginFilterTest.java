package dev.savedtracks.mcp;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.savedtracks.system.InvalidConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which web pages may call {@code /mcp}: none but the configured origins; agents without
 * Origin always may.
 */
class McpOriginFilterTest {

	private final McpOriginFilter filter = new McpOriginFilter(
			settings(List.of("https://app.example.com", " http://localhost:* ", "")), JsonMapper.builder().build());

	@Test
	void letsRequestsWithoutOriginThrough() throws Exception {
		MockHttpServletResponse response = filter(null);

		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void letsConfiguredOriginsThroughWithAnyPortWhereTheyAskForIt() throws Exception {
		assertThat(filter("https://app.example.com").getStatus()).isEqualTo(200);
		assertThat(filter("http://localhost:6274").getStatus()).isEqualTo(200);
		assertThat(filter("http://localhost").getStatus()).isEqualTo(200);
	}

	@Test
	void refusesEveryOtherOriginWithAProblem() throws Exception {
		for (String origin : List.of("https://evil.example", "https://app.example.com:8443", "http://app.example.com",
				"https://app.example.com.evil.example", "http://localhost.evil.example", "null")) {
			MockHttpServletResponse response = filter(origin);

			assertThat(response.getStatus()).as(origin).isEqualTo(403);
			assertThat(response.getContentType()).startsWith("application/problem+json");
			assertThat(response.getContentAsString()).contains("forbidden-origin");
		}
	}

	@Test
	void refusesARequestWithTwoOriginsOfWhichOneIsForeign() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.addHeader("Origin", "https://app.example.com");
		request.addHeader("Origin", "https://evil.example");
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request, response, new MockFilterChain());

		assertThat(response.getStatus()).isEqualTo(403);
	}

	@Test
	void refusesToStartWithAnOriginThatIsNotOne() {
		for (String origin : List.of("app.example.com", "https://app.example.com/", "https://app.example.com/mcp",
				"ftp://app.example.com", "https://")) {
			assertThatExceptionOfType(InvalidConfiguration.class).as(origin)
				.isThrownBy(() -> settings(List.of(origin)))
				.withMessageContaining("MCP_ALLOWED_ORIGINS");
		}
	}

	private MockHttpServletResponse filter(@Nullable String origin) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		if (origin != null) {
			request.addHeader("Origin", origin);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		return response;
	}

	static McpSettings settings(List<String> origins) {
		return new McpSettings(origins, org.springframework.util.unit.DataSize.ofKilobytes(64), 2, 16,
				java.time.Duration.ofSeconds(2), 1000);
	}

}
