package dev.savedtracks.mcpauth.client;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Public clients (desktop apps, agents without a secret) at the token endpoint's refresh
 * grant and at the revocation endpoint, where they identify themselves by
 * {@code client_id} alone (OAuth 2.1 section 2.4; RFC 7009 section 2.1). Spring
 * Security's public-client support covers only the code exchange, where PKCE stands in
 * for a secret; here the refresh token, bound to its client and replaced at every use, is
 * the proof.
 */
public final class PublicClients {

	private static final String REVOCATION = "revocation";

	private PublicClients() {
	}

	/** Recognises {@code client_id} without any secret on a refresh or a revocation. */
	public static AuthenticationConverter converter(String revocationPath) {
		return request -> {
			boolean refresh = AuthorizationGrantType.REFRESH_TOKEN.getValue()
				.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE));
			boolean revocation = request.getRequestURI().endsWith(revocationPath);
			String clientId = single(request, OAuth2ParameterNames.CLIENT_ID);
			if (!(refresh || revocation) || clientId == null || request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
				return null;
			}
			Map<String, Object> parameters = new HashMap<>();
			parameters.put(OAuth2ParameterNames.GRANT_TYPE,
					refresh ? AuthorizationGrantType.REFRESH_TOKEN.getValue() : REVOCATION);
			return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null, parameters);
		};
	}

	/**
	 * Authenticates what {@link #converter} recognised, for clients registered as public;
	 * leaves every other client authentication to Spring Security's providers.
	 */
	public static AuthenticationProvider provider(RegisteredClientRepository clients) {
		return new AuthenticationProvider() {

			@Override
			public @Nullable Authentication authenticate(Authentication authentication) {
				OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) authentication;
				Object grant = client.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE);
				if (!ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
						|| !(AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(grant)
								|| REVOCATION.equals(grant))) {
					return null;
				}
				RegisteredClient registered = clients.findByClientId((String) client.getPrincipal());
				if (registered == null
						|| !registered.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
					throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
				}
				return new OAuth2ClientAuthenticationToken(registered, ClientAuthenticationMethod.NONE, null);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
			}

		};
	}

	private static @Nullable String single(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		return (values != null && values.length == 1 && !values[0].isBlank()) ? values[0] : null;
	}

}
