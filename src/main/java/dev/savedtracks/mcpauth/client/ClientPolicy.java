package dev.savedtracks.mcpauth.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.OAuth2ClientRegistration;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.converter.OAuth2ClientRegistrationRegisteredClientConverter;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.savedtracks.mcpauth.ResourceIndicators;

/**
 * What every client of the MCP authorization server is, however it registered: it may ask
 * for the one scope there is, uses the authorization code grant with PKCE (S256) and
 * refresh tokens, needs the person's consent, gets opaque tokens whose refresh token
 * rotates, and authenticates with a secret ({@code client_secret_basic} or
 * {@code client_secret_post}) or as a public client ({@code none}).
 */
public final class ClientPolicy {

	static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";

	static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";

	private static final int MAX_NAME = 100;

	private ClientPolicy() {
	}

	/** Refuses a dynamic registration whose redirect URIs or metadata are not allowed. */
	public static Consumer<OAuth2ClientRegistrationAuthenticationContext> validator(RedirectUris allowed) {
		return context -> {
			OAuth2ClientRegistration registration = ((OAuth2ClientRegistrationAuthenticationToken) context
				.getAuthentication()).getClientRegistration();
			List<String> redirectUris = (registration.getRedirectUris() != null) ? registration.getRedirectUris()
					: List.of();
			String problem = allowed.problem(redirectUris);
			if (problem != null) {
				throw new OAuth2AuthenticationException(new OAuth2Error(INVALID_REDIRECT_URI, problem, null));
			}
			String method = registration.getTokenEndpointAuthenticationMethod();
			if (method != null && !List.of("none", "client_secret_basic", "client_secret_post").contains(method)) {
				throw new OAuth2AuthenticationException(new OAuth2Error(INVALID_CLIENT_METADATA,
						"token_endpoint_auth_method must be none, client_secret_basic or client_secret_post", null));
			}
			List<String> grants = (registration.getGrantTypes() != null) ? registration.getGrantTypes() : List.of();
			if (!List.of("authorization_code", "refresh_token").containsAll(grants)) {
				throw new OAuth2AuthenticationException(new OAuth2Error(INVALID_CLIENT_METADATA,
						"grant_types may only be authorization_code and refresh_token", null));
			}
		};
	}

	/**
	 * Spring Security's conversion of a registration (client id, secret, authentication
	 * method, name, redirect URIs), with this server's rules for the rest.
	 */
	public static Converter<OAuth2ClientRegistration, RegisteredClient> fromRegistration() {
		OAuth2ClientRegistrationRegisteredClientConverter defaults = new OAuth2ClientRegistrationRegisteredClientConverter();
		return registration -> {
			RegisteredClient converted = defaults.convert(registration);
			return apply(RegisteredClient.from(converted), converted.getClientName()).build();
		};
	}

	/** A public client described by a client metadata document at {@code url}. */
	static RegisteredClient fromDocument(@Nullable String id, String url, @Nullable String name,
			List<String> redirectUris, Instant now) {
		RegisteredClient.Builder builder = RegisteredClient.withId((id != null) ? id : UUID.randomUUID().toString())
			.clientId(url)
			.clientIdIssuedAt(now)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.redirectUris(uris -> uris.addAll(redirectUris));
		return apply(builder, (name != null) ? name : url).build();
	}

	private static RegisteredClient.Builder apply(RegisteredClient.Builder builder, @Nullable String name) {
		return builder.clientName(cleanName(name)).authorizationGrantTypes(grants -> {
			grants.clear();
			grants.add(AuthorizationGrantType.AUTHORIZATION_CODE);
			grants.add(AuthorizationGrantType.REFRESH_TOKEN);
		}).scopes(scopes -> {
			scopes.clear();
			scopes.add(ResourceIndicators.SCOPE);
		})
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
			// The lifetimes that count are McpTokenGenerator's; these are what Spring
			// Security's own checks read.
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.REFERENCE)
				.reuseRefreshTokens(false)
				.authorizationCodeTimeToLive(Duration.ofMinutes(2))
				.build());
	}

	/**
	 * A name to show a person: one line of visible characters, at most {@value #MAX_NAME}
	 * of them, never empty. Line breaks and other spaces become one space; control and
	 * format characters go, among them the bidirectional overrides and zero-width
	 * characters that could make a name read as another. (HTML in a name is text: the
	 * pages escape it.)
	 */
	static String cleanName(@Nullable String name) {
		String clean = (name != null)
				? name.replaceAll("[\\s\\p{Z}]+", " ").replaceAll("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}]", "").strip()
				: "";
		if (clean.isEmpty()) {
			return "Unnamed app";
		}
		return (clean.codePointCount(0, clean.length()) > MAX_NAME)
				? clean.substring(0, clean.offsetByCodePoints(0, MAX_NAME)).strip() : clean;
	}

}
