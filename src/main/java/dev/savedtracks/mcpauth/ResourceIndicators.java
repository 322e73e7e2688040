package dev.savedtracks.mcpauth;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * RFC 8707 resource indicators: every grant is for exactly one resource, the MCP endpoint
 * ({@code <issuer>/mcp}), and its tokens work there only. An authorization request
 * without {@code resource} gets that one; one naming anything else (or several) is
 * refused with {@code invalid_target}. A request without a scope gets the one scope there
 * is, {@value #SCOPE}, so that a consent is always about something.
 */
public final class ResourceIndicators {

	public static final String RESOURCE = "resource";

	/** What a grant allows: reading the person's cached library through the MCP tools. */
	public static final String SCOPE = "library:read";

	public static final String INVALID_TARGET = "invalid_target";

	private ResourceIndicators() {
	}

	/** The MCP endpoint of the authorization server of the current request. */
	public static String mcpResource() {
		return AuthorizationServerContextHolder.getContext().getIssuer() + "/mcp";
	}

	/**
	 * The default converter's authorization request, with {@code resource} and
	 * {@code scope} filled in where the client sent none.
	 */
	public static AuthenticationConverter withDefaults(AuthenticationConverter converter) {
		return request -> {
			Authentication converted = converter.convert(request);
			if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken authorizationRequest)) {
				return converted;
			}
			Map<String, Object> parameters = new HashMap<>(authorizationRequest.getAdditionalParameters());
			parameters.putIfAbsent(RESOURCE, mcpResource());
			Set<String> scopes = authorizationRequest.getScopes().isEmpty() ? Set.of(SCOPE)
					: authorizationRequest.getScopes();
			return new OAuth2AuthorizationCodeRequestAuthenticationToken(authorizationRequest.getAuthorizationUri(),
					authorizationRequest.getClientId(), (Authentication) authorizationRequest.getPrincipal(),
					authorizationRequest.getRedirectUri(), authorizationRequest.getState(), scopes, parameters);
		};
	}

	/** Refuses an authorization request for another resource than the MCP endpoint. */
	public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator() {
		return context -> {
			OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
			Object resource = request.getAdditionalParameters().get(RESOURCE);
			if (!matches(resource, mcpResource())) {
				throw new OAuth2AuthorizationCodeRequestAuthenticationException(
						new OAuth2Error(INVALID_TARGET,
								"This server issues tokens only for its MCP endpoint, " + mcpResource() + ".", null),
						request);
			}
		};
	}

	/**
	 * Whether a {@code resource} parameter names the resource: the same URL, a trailing
	 * slash aside.
	 */
	public static boolean matches(@Nullable Object resource, String expected) {
		if (!(resource instanceof String named)) {
			return false;
		}
		String trimmed = named.endsWith("/") ? named.substring(0, named.length() - 1) : named;
		return trimmed.equals(expected);
	}

	/** The resource a request to this service is for: the MCP endpoint, or the API. */
	public static String resourceOf(HttpServletRequest request, String issuer) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean mcp = path.equals("/mcp") || path.startsWith("/mcp/");
		return issuer + (mcp ? "/mcp" : "");
	}

}
