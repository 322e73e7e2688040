package dev.savedtracks.mcpauth.client;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.IntSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.system.Problems;

/**
 * Open registration (RFC 7591, as MCP clients expect it) without an open door to the
 * database: one network address may register {@code MCP_AUTH_REGISTRATIONS_PER_ADDRESS}
 * clients an hour on each replica (429), and while {@code MCP_AUTH_MAX_PENDING_CLIENTS}
 * clients that no person has authorized are kept, all replicas together, nobody may
 * register more (503) until they expire ({@code MCP_AUTH_PENDING_CLIENT_LIFETIME}).
 * <p>
 * The address is the connection's ({@link HttpServletRequest#getRemoteAddr()}): an
 * {@code X-Forwarded-For} header counts only where the operator trusts forwarded headers
 * ({@code FORWARD_HEADERS_STRATEGY=native}, and then only from the proxies Tomcat
 * trusts). An IPv6 address counts for its whole /64, which one machine usually holds.
 */
public final class RegistrationLimits extends OncePerRequestFilter {

	private final String path;

	private final McpAuthSettings settings;

	private final IntSupplier pendingClients;

	private final JsonMapper json;

	private final Cache<String, Bucket> perAddress = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	/**
	 * @param pendingClients how many registered clients, all replicas together, wait for
	 * a first authorization
	 */
	public RegistrationLimits(String path, McpAuthSettings settings, IntSupplier pendingClients, JsonMapper json) {
		this.path = path;
		this.settings = settings;
		this.pendingClients = pendingClients;
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod())
				&& request.getRequestURI().substring(request.getContextPath().length()).equals(this.path));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		int perHour = this.settings.registrationsPerAddress();
		Bucket bucket = this.perAddress.get(network(request.getRemoteAddr()),
				address -> Bucket.builder()
					.addLimit(Bandwidth.builder().capacity(perHour).refillGreedy(perHour, Duration.ofHours(1)).build())
					.build());
		if (!bucket.tryConsume(1)) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "600");
			Problems.write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-registrations",
					"Too many client registrations",
					"This address registered too many clients lately. Reuse a registered client, or try later."),
					this.json);
			return;
		}
		if (this.pendingClients.getAsInt() >= this.settings.maxPendingClients()) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "3600");
			Problems.write(response,
					Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "registration-closed",
							"Client registration closed for now",
							"Too many registered clients are waiting for a first authorization. Try again later."),
					this.json);
			return;
		}
		chain.doFilter(request, response);
	}

	/** The address registrations are counted for: an IPv4 address, an IPv6 /64. */
	static String network(String remoteAddress) {
		if (!remoteAddress.contains(":")) {
			return remoteAddress;
		}
		try {
			// A literal (the container gives one), so no name is looked up.
			InetAddress address = InetAddress.getByName(remoteAddress);
			if (address instanceof Inet6Address) {
				return HexFormat.of().formatHex(Arrays.copyOf(address.getAddress(), 8)) + "::/64";
			}
			return address.getHostAddress();
		}
		catch (UnknownHostException ex) {
			return remoteAddress;
		}
	}

}
