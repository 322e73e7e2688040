package dev.savedtracks.account;

import java.net.http.HttpClient;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.AbstractRestClientOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import dev.savedtracks.spotify.SpotifySettings;

/**
 * HTTP for the sign-in's own calls to Spotify: the token endpoint (the authorization-code
 * exchange and every refresh) and {@code /v1/me}. They share one JDK client with
 * {@code SPOTIFY_CONNECT_TIMEOUT} and {@code SPOTIFY_RESPONSE_TIMEOUT}, so a stalled
 * Spotify ends a sign-in on the error page, and a refresh (which holds the account's
 * refresh lease) with a clean failure, instead of holding a request thread for as long as
 * Spotify likes. The JDK client is chosen explicitly rather than detected from the class
 * path, so the same client runs in tests and in production.
 */
@Component
class SignInHttp {

	private final ClientHttpRequestFactory requestFactory;

	SignInHttp(SpotifySettings spotify) {
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(spotify.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
		// Covers the wait for the response headers and every read of the body.
		factory.setReadTimeout(spotify.responseTimeout());
		this.requestFactory = factory;
	}

	/**
	 * For Spring Security's token response clients: the same converters and error handler
	 * as the RestClient they build for themselves
	 * ({@link AbstractRestClientOAuth2AccessTokenResponseClient}'s constructor: form
	 * writer, token response reader, OAuth 2.0 error handler), plus the timeouts.
	 */
	RestClient tokenEndpoint() {
		return RestClient.builder()
			.requestFactory(this.requestFactory)
			.configureMessageConverters(converters -> converters.addCustomConverter(new FormHttpMessageConverter())
				.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter()))
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build();
	}

	/** For {@code GET /v1/me}: default converters; statuses are handled by the caller. */
	RestClient webApi() {
		return RestClient.builder().requestFactory(this.requestFactory).build();
	}

}
