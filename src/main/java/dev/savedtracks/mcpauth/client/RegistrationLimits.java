package dev.savedtracks.mcpauth.client;

import java.io.IOException;
import java.time.Duration;

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
 */
public final class RegistrationLimits extends OncePerRequestFilter {

	private final String path;

	private final McpAuthSettings settings;

	private final ClientRegistry clients;

	private final JsonMapper json;

	private final Cache<String, Bucket> perAddress = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	public RegistrationLimits(String path, McpAuthSettings settings, ClientRegistry clients, JsonMapper json) {
		this.path = path;
		this.settings = settings;
		this.clients = clients;
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
		Bucket bucket = this.perAddress.get(request.getRemoteAddr(),
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
		if (this.clients.pendingClients() >= this.settings.maxPendingClients()) {
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

}
