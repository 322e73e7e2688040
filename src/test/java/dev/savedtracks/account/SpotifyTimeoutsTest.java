package dev.savedtracks.account;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in's own calls to Spotify (the code exchange, {@code /v1/me}, token refresh) give
 * up after {@code SPOTIFY_RESPONSE_TIMEOUT} when Spotify stalls far longer, and fail
 * cleanly. The timeout is 2 s here, not the other tests' 5 s: each test sits through it
 * once.
 */
@TestPropertySource(properties = "spotify.response-timeout=2s")
class SpotifyTimeoutsTest extends EmulatedSpotifyTest {

	/** Far beyond the 2 s response timeout. */
	private static final Duration STALL = Duration.ofSeconds(30);

	/** The timeout plus generous room for a busy machine, and well short of the stall. */
	private static final Duration PROMPTLY = Duration.ofSeconds(15);

	@AfterEach
	void spotifyAnswersPromptlyAgain() {
		spotify.tokenLatency(Duration.ZERO);
		spotify.accessTokenLifetime(Duration.ofHours(1));
	}

	@Test
	void stalledProfileEndsTheSignInOnTheErrorPage() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = new BrowserSession(appUrl());
		spotify.latency(STALL);
		long started = System.nanoTime();

		HttpResponse<String> page = browser.signIn(user.id());

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("Please try again in a moment");
		assertThat(spotify.counters().meRequests()).isEqualTo(1);
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(401);
	}

	@Test
	void stalledCodeExchangeEndsTheSignInOnTheErrorPage() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = new BrowserSession(appUrl());
		spotify.tokenLatency(STALL);
		long started = System.nanoTime();

		HttpResponse<String> page = browser.signIn(user.id());

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("Please try again in a moment");
		assertThat(spotify.counters().meRequests()).isZero();
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(401);
	}

	@Test
	void stalledRefreshEndsInSpotifyUnavailable() {
		// Shorter than the refresh margin: the stored access token needs refreshing as
		// soon as it is used.
		spotify.accessTokenLifetime(Duration.ofSeconds(30));
		BrowserSession browser = signedIn(newUser(5));
		spotify.tokenLatency(STALL);
		long started = System.nanoTime();

		HttpResponse<String> response = browser.api("/api/saved-tracks");

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).contains("spotify-unavailable");
		assertThat(spotify.counters().tokenRequests("refresh_token")).isPositive();
	}

}
