package dev.savedtracks.account;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

import dev.savedtracks.spotify.SpotifySettings;

/**
 * The Spotify client registration (built from {@link SpotifySettings} rather than Boot's
 * properties, so every URL derives from the two base URLs), the token client of the
 * sign-in's code exchange (which {@code oauth2Login} picks up by its type) and the
 * authorized-client manager that refreshes tokens outside any request. Both token clients
 * use {@link SignInHttp}'s timeouts.
 */
@Configuration(proxyBeanMethods = false)
class SignInConfiguration {

	static final String DEFAULT_REDIRECT_URI = "{baseUrl}/login/oauth2/code/{registrationId}";

	/** People are told apart by the {@code id} of {@code GET /v1/me}. */
	static final String USER_NAME_ATTRIBUTE = "id";

	@Bean
	ClientRegistrationRepository clientRegistrationRepository(SpotifySettings spotify) {
		ClientRegistration registration = ClientRegistration.withRegistrationId(SpotifySettings.REGISTRATION_ID)
			.clientName("Spotify")
			.clientId(spotify.clientId())
			.clientSecret(spotify.clientSecret())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(spotify.redirectUri().isBlank() ? DEFAULT_REDIRECT_URI : spotify.redirectUri())
			.scope(SpotifySettings.SCOPE)
			.authorizationUri(spotify.authorizationUri().toString())
			.tokenUri(spotify.tokenUri().toString())
			.userInfoUri(spotify.userInfoUri().toString())
			.userNameAttributeName(USER_NAME_ATTRIBUTE)
			// Spotify supports PKCE for confidential clients; RFC 9700 recommends it for
			// every client.
			.clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
			.build();
		return new InMemoryClientRegistrationRepository(registration);
	}

	/** The authorization-code exchange at sign-in. */
	@Bean
	OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> authorizationCodeTokenResponseClient(
			SignInHttp http) {
		RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
		client.setRestClient(http.tokenEndpoint());
		return client;
	}

	/**
	 * Works from stored tokens alone (no HTTP session), so API-key callers get the same
	 * refresh path as browsers. When Spotify refuses the refresh token the person is
	 * marked as needing to sign in again, once, with no retry.
	 */
	@Bean
	OAuth2AuthorizedClientManager authorizedClientManager(ClientRegistrationRepository registrations,
			OAuth2AuthorizedClientService clients, AccountRepository accounts, Clock clock, SignInHttp http) {
		RestClientRefreshTokenTokenResponseClient tokenEndpoint = new RestClientRefreshTokenTokenResponseClient();
		tokenEndpoint.setRestClient(http.tokenEndpoint());
		OAuth2AuthorizedClientProvider provider = OAuth2AuthorizedClientProviderBuilder.builder()
			.refreshToken(refresh -> refresh.clock(clock).accessTokenResponseClient(tokenEndpoint))
			.build();
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				registrations, clients);
		manager.setAuthorizedClientProvider(provider);
		// SpotifyAccessTokens stores refreshed tokens itself, under the refresh's lease
		// and only for existing accounts.
		manager.setAuthorizationSuccessHandler((client, principal, attributes) -> {
		});
		manager.setAuthorizationFailureHandler((failure, principal, attributes) -> {
			if (failure instanceof ClientAuthorizationException refused
					&& OAuth2ErrorCodes.INVALID_GRANT.equals(refused.getError().getErrorCode())) {
				clients.removeAuthorizedClient(refused.getClientRegistrationId(), principal.getName());
				accounts.findById(principal.getName()).ifPresent(account -> {
					account.requireReauthorization(clock.instant());
					accounts.save(account);
				});
			}
		});
		return manager;
	}

}
