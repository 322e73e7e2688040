package dev.savedtracks.spotify;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * Where Spotify lives and how to talk to it. Every Spotify URL the service uses is
 * derived from {@link #accountsUrl()} and {@link #apiUrl()}, so the emulator can stand in
 * for Spotify.
 */
@ConfigurationProperties("spotify")
public record SpotifySettings(String clientId, String clientSecret, URI accountsUrl, URI apiUrl,
		@DefaultValue("") String redirectUri, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("10s") Duration responseTimeout, @DefaultValue("3") int maxRetries,
		@DefaultValue("200ms") Duration retryBackoff, @DefaultValue("5s") Duration maxRetryBackoff,
		@DefaultValue("15s") Duration maxRateLimitWait, @DefaultValue("8") int pageConcurrency,
		@DefaultValue("150/30s") String requestBudget) {

	public static final String REGISTRATION_ID = "spotify";

	public static final String SCOPE = "user-library-read";

	public SpotifySettings {
		if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
			throw new InvalidConfiguration(
					"SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET must be set to your Spotify app's client id and secret",
					"Register an app at https://developer.spotify.com/dashboard and export SPOTIFY_CLIENT_ID and "
							+ "SPOTIFY_CLIENT_SECRET, or run ./mvnw spring-boot:test-run to use the built-in emulator.");
		}
		accountsUrl = withoutTrailingSlash(accountsUrl, "SPOTIFY_ACCOUNTS_URL");
		apiUrl = withoutTrailingSlash(apiUrl, "SPOTIFY_API_URL");
		if (pageConcurrency < 1 || pageConcurrency > 64) {
			throw new InvalidConfiguration("SPOTIFY_PAGE_CONCURRENCY must be between 1 and 64, was " + pageConcurrency,
					"Set SPOTIFY_PAGE_CONCURRENCY to a small positive number; 8 is polite to Spotify.");
		}
		RequestBudget.parse(requestBudget);
		if (maxRetries < 0 || maxRetries > 10) {
			throw new InvalidConfiguration("SPOTIFY_MAX_RETRIES must be between 0 and 10, was " + maxRetries,
					"Set SPOTIFY_MAX_RETRIES to a small number such as 3.");
		}
		if (retryBackoff.isNegative() || maxRetryBackoff.compareTo(retryBackoff) < 0) {
			throw new InvalidConfiguration(
					"SPOTIFY_RETRY_BACKOFF must not be negative nor exceed SPOTIFY_MAX_RETRY_BACKOFF, was "
							+ retryBackoff + " and " + maxRetryBackoff,
					"Set SPOTIFY_RETRY_BACKOFF to a fraction of a second such as 200ms, and SPOTIFY_MAX_RETRY_BACKOFF "
							+ "to a few seconds.");
		}
	}

	/**
	 * {@code SPOTIFY_REQUEST_BUDGET}: the requests per rolling window that every replica
	 * together may make.
	 */
	public RequestBudget budget() {
		return RequestBudget.parse(this.requestBudget);
	}

	public URI authorizationUri() {
		return URI.create(accountsUrl + "/authorize");
	}

	public URI tokenUri() {
		return URI.create(accountsUrl + "/api/token");
	}

	public URI userInfoUri() {
		return URI.create(apiUrl + "/v1/me");
	}

	public URI savedTracksUri() {
		return URI.create(apiUrl + "/v1/me/tracks");
	}

	private static URI withoutTrailingSlash(URI uri, String variable) {
		if (uri == null || uri.getScheme() == null || uri.getHost() == null
				|| !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
			throw new InvalidConfiguration(variable + " must be an absolute http(s) URL, was " + uri,
					"Unset " + variable + " to use Spotify's own address.");
		}
		String text = uri.toString();
		return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
	}

}
