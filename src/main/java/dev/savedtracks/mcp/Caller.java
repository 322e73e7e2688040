package dev.savedtracks.mcp;

import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.savedtracks.account.ReauthorizationRequired;

/**
 * Who is calling a tool: the account of the API key or access token that authenticated
 * the request (its person, never a value from the message), the absolute URL where that
 * person signs in again, and the service's root URL as the caller reached it (for links).
 */
record Caller(String accountId, String signInUrl, String baseUrl) {

	private static final String KEY = Caller.class.getName();

	/**
	 * Taken on the request thread, after Spring Security has authenticated the key, and
	 * handed to the tool handlers in the transport context.
	 */
	static McpTransportContext context(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			return McpTransportContext.EMPTY;
		}
		String baseUrl = ServletUriComponentsBuilder.fromContextPath(request).toUriString();
		String signInUrl = ServletUriComponentsBuilder.fromContextPath(request)
			.path(ReauthorizationRequired.SIGN_IN_PATH)
			.toUriString();
		return new Caller(authentication.getName(), signInUrl, baseUrl).context();
	}

	/** The transport context that hands this caller to the tool handlers. */
	McpTransportContext context() {
		return McpTransportContext.create(Map.of(KEY, this));
	}

	/**
	 * The caller of a request; the security chain lets no request without one reach the
	 * endpoint.
	 */
	static Caller of(McpTransportContext context) {
		if (context.get(KEY) instanceof Caller caller) {
			return caller;
		}
		throw new IllegalStateException("MCP request without an authenticated caller");
	}

}
