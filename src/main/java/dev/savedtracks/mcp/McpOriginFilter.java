package dev.savedtracks.mcp;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.savedtracks.system.Problems;

/**
 * Refuses {@code /mcp} requests from web pages of origins not configured
 * ({@code MCP_ALLOWED_ORIGINS}) with 403, as the MCP transport requires against DNS
 * rebinding. It runs before authentication: a page that is not allowed gets nothing, not
 * even a look-up of the key it may carry. Requests without {@code Origin} (agents that
 * are not browsers) pass.
 */
class McpOriginFilter extends OncePerRequestFilter {

	private final DefaultServerTransportSecurityValidator origins;

	private final JsonMapper json;

	McpOriginFilter(McpSettings settings, JsonMapper json) {
		this.origins = DefaultServerTransportSecurityValidator.builder()
			.allowedOrigins(settings.allowedOrigins())
			.build();
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<String> sent = Collections.list(request.getHeaders(HttpHeaders.ORIGIN));
		try {
			for (String origin : sent) {
				this.origins.validate(new OnlyOrigin(origin));
			}
		}
		catch (ServerTransportSecurityException ex) {
			Problems.write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden-origin", "Origin not allowed",
					"Web pages of this origin may not call the MCP endpoint. Agents that are not browsers send no "
							+ "Origin header; an operator can allow a page's origin with MCP_ALLOWED_ORIGINS."),
					this.json);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * One Origin value, as the SDK's validator reads headers; each value a request sends
	 * must be allowed.
	 */
	private record OnlyOrigin(String origin) implements HeaderAccessor {

		@Override
		public List<String> getHeader(String name) {
			return HttpHeaders.ORIGIN.equalsIgnoreCase(name) ? List.of(this.origin) : List.of();
		}

		@Override
		public List<String> getHeaderNames() {
			return List.of(HttpHeaders.ORIGIN);
		}

	}

}
