package dev.savedtracks.spotify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * Where Spotify lives and how to talk to it. Every Spotify URL the service uses is
 * derived from {@link #accountsUrl()} and {@link #apiUrl()}, so the emulator can stand in
 * for Spotify.
 * <p>
 * {@code outagePause} and {@code maxOutagePause} ({@code SPOTIFY_OUTAGE_PAUSE},
 * {@code SPOTIFY_MAX_OUTAGE_PAUSE}): when a page of a long sync failed all its retries,
 * the whole sync pauses this long (doubled per failure in a row, up to the longest)
 * before one page asks again, instead of throwing away the pages already read.
 */
@ConfigurationProperties("spotify")
public record SpotifySettings(String clientId, String clientSecret, URI accountsUrl, URI apiUrl,
		@DefaultValue("") String redirectUri, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("10s") Duration responseTimeout, @DefaultValue("3") int maxRetries,
		@DefaultValue("200ms") Duration retryBackoff, @DefaultValue("5s") Duration maxRetryBackoff,
		@DefaultValue("15s") Duration maxRateLimitWait, @DefaultValue("8") int pageConcurrency,
		@DefaultValue("150/30s") String requestBudget, @DefaultValue("2s") Duration outagePause,
		@DefaultValue("30s") Duration maxOutagePause) {

	public static final String REGISTRATION_ID = "spotify";

	public static final String SCOPE = "user-library-read";

	public SpotifySettings {
		if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
			throw new InvalidConfiguration(
					"SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET must be set to your Spotify app's client id and secret",
					"Register an app at https://developer.spotify.com/dashboard and export SPOTIFY_CLIENT_ID and "
							+ "SPOTIFY_CLIENT_SECRET, or run ./mvnw spring-boot:test-run to use the built-in emulator.");
		}
		checkRedirectUri(redirectUri);
		accountsUrl = withoutTrailingSlash(accountsUrl, "SPOTIFY_ACCOUNTS_URL");
		apiUrl = withoutTrailingSlash(apiUrl, "SPOTIFY_API_URL");
		if (pageConcurrency < 1 || pageConcurrency > 64) {
			throw new InvalidConfiguration("SPOTIFY_PAGE_CONCURRENCY must be between 1 and 64, was " + pageConcurrency,
					"Set SPOTIFY_PAGE_CONCURRENCY to a small positive number; 8 is polite to Spotify.");
		}
		RequestBudget.parse(requestBudget);
		if (outagePause.compareTo(Duration.ofMillis(1)) < 0 || maxOutagePause.compareTo(outagePause) < 0) {
			throw new InvalidConfiguration(
					"SPOTIFY_OUTAGE_PAUSE must be at least 1ms and not exceed SPOTIFY_MAX_OUTAGE_PAUSE, was "
							+ outagePause + " and " + maxOutagePause,
					"Leave them unset for the defaults (2s and 30s).");
		}
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

	/**
	 * Spotify's rules for redirect URIs (enforced for every app since 27 November 2025):
	 * HTTPS, or plain HTTP on a loopback IP literal; never {@code localhost}. Spotify
	 * would refuse every sign-in with anything else, so the service does not start. A
	 * template such as Spring's default {@code {baseUrl}/…} is resolved per request and
	 * cannot be judged here.
	 */
	static void checkRedirectUri(String redirectUri) {
		if (redirectUri.isBlank() || redirectUri.startsWith("{")) {
			return;
		}
		URI uri;
		try {
			uri = new URI(redirectUri.strip());
		}
		catch (URISyntaxException ex) {
			uri = null;
		}
		String scheme = (uri != null && uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri != null && uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		boolean localhost = host.equals("localhost") || host.endsWith(".localhost");
		boolean allowed = !host.isEmpty() && !localhost && uri.getFragment() == null && (scheme.equals("https")
				|| (scheme.equals("http") && (host.equals("127.0.0.1") || host.equals("[::1]"))));
		if (!allowed) {
			throw new InvalidConfiguration(
					"SPOTIFY_REDIRECT_URI must be an https URL, or http on 127.0.0.1 or [::1] "
							+ "(Spotify refuses localhost), was " + redirectUri,
					"Set SPOTIFY_REDIRECT_URI to http://127.0.0.1:8080/login/oauth2/code/spotify for local use, or to "
							+ "https://<your host>/login/oauth2/code/spotify behind a TLS proxy, and register the same "
							+ "URI in the Spotify developer dashboard.");
		}
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
