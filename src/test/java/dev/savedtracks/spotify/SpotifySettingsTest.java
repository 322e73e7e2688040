package dev.savedtracks.spotify;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.savedtracks.system.InvalidConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spotify's settings, as written and as refused. */
class SpotifySettingsTest {

	@Test
	void budgetsAreWrittenAsRequestsPerWindow() {
		assertThat(RequestBudget.parse("150/30s")).isEqualTo(new RequestBudget(150, Duration.ofSeconds(30)));
		assertThat(RequestBudget.parse(" 6000 / 1m ")).isEqualTo(new RequestBudget(6000, Duration.ofMinutes(1)));
		assertThat(RequestBudget.parse("unlimited").unlimited()).isTrue();
		assertThatThrownBy(() -> RequestBudget.parse("150")).isInstanceOf(InvalidConfiguration.class)
			.hasMessageContaining("SPOTIFY_REQUEST_BUDGET");
		assertThatThrownBy(() -> RequestBudget.parse("1/30s")).isInstanceOf(InvalidConfiguration.class);
		assertThatThrownBy(() -> RequestBudget.parse("100/2h")).isInstanceOf(InvalidConfiguration.class);
	}

	@Test
	void retryBackoffsMustNotBeNegativeNorTheFirstExceedTheLongest() {
		assertThat(settings(Duration.ZERO, Duration.ZERO).retryBackoff()).isZero();
		assertThatThrownBy(() -> settings(Duration.ofMillis(-1), Duration.ofSeconds(5)))
			.isInstanceOf(InvalidConfiguration.class)
			.hasMessageContaining("SPOTIFY_RETRY_BACKOFF");
		assertThatThrownBy(() -> settings(Duration.ofSeconds(10), Duration.ofSeconds(5)))
			.isInstanceOf(InvalidConfiguration.class)
			.hasMessageContaining("SPOTIFY_MAX_RETRY_BACKOFF");
	}

	@Test
	void outagePausesMustBePositiveNorTheFirstExceedTheLongest() {
		assertThat(outagePauses(Duration.ofMillis(1), Duration.ofMillis(1)).outagePause())
			.isEqualTo(Duration.ofMillis(1));
		assertThatThrownBy(() -> outagePauses(Duration.ZERO, Duration.ofSeconds(30)))
			.isInstanceOf(InvalidConfiguration.class)
			.hasMessageContaining("SPOTIFY_OUTAGE_PAUSE");
		assertThatThrownBy(() -> outagePauses(Duration.ofSeconds(31), Duration.ofSeconds(30)))
			.isInstanceOf(InvalidConfiguration.class)
			.hasMessageContaining("SPOTIFY_MAX_OUTAGE_PAUSE");
	}

	@Test
	void redirectUrisSpotifyAcceptsAreAccepted() {
		for (String uri : new String[] { "", "{baseUrl}/login/oauth2/code/{registrationId}",
				"https://tracks.example.com/login/oauth2/code/spotify",
				"http://127.0.0.1:8080/login/oauth2/code/spotify", "http://[::1]:8080/login/oauth2/code/spotify" }) {
			assertThat(settings(uri).redirectUri()).isEqualTo(uri);
		}
	}

	@Test
	void redirectUrisSpotifyRefusesStopTheStartNamingTheSetting() {
		for (String uri : new String[] { "http://localhost:8080/login/oauth2/code/spotify",
				"https://localhost/login/oauth2/code/spotify", "http://tracks.example.com/login/oauth2/code/spotify",
				"http://192.168.1.5:8080/login/oauth2/code/spotify", "https://app.localhost/callback",
				"/login/oauth2/code/spotify", "not a uri at all", "https://tracks.example.com/cb#fragment" }) {
			assertThatThrownBy(() -> settings(uri)).as(uri)
				.isInstanceOf(InvalidConfiguration.class)
				.hasMessageStartingWith("SPOTIFY_REDIRECT_URI must be an https URL");
		}
	}

	private static SpotifySettings settings(String redirectUri) {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"),
				URI.create("https://api.spotify.com"), redirectUri, Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
				Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(15), 8, "150/30s",
				Duration.ofSeconds(2), Duration.ofSeconds(30));
	}

	private static SpotifySettings settings(Duration retryBackoff, Duration maxRetryBackoff) {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"),
				URI.create("https://api.spotify.com"), "", Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
				retryBackoff, maxRetryBackoff, Duration.ofSeconds(15), 8, "150/30s", Duration.ofSeconds(2),
				Duration.ofSeconds(30));
	}

	private static SpotifySettings outagePauses(Duration outagePause, Duration maxOutagePause) {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"),
				URI.create("https://api.spotify.com"), "", Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
				Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(15), 8, "150/30s", outagePause,
				maxOutagePause);
	}

}
