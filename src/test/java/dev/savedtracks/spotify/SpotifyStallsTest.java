package dev.savedtracks.spotify;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spotify stalling far beyond {@code SPOTIFY_RESPONSE_TIMEOUT}: sign-in's own calls (the
 * code exchange, {@code /v1/me}, a token refresh) give up after the timeout and fail
 * cleanly, and a sync's page request is retried.
 * <p>
 * The timeout is the shared context's ({@link EmulatorWiring#RESPONSE_TIMEOUT}, 5 s):
 * each test sits through it once, which costs less CPU than a context of their own. The
 * waiting is why these tests are a class of their own in this package: the test JVMs take
 * classes in reverse alphabetical order, so this one starts early, while the other JVMs
 * keep the processor busy, rather than waiting alone at the end of the build, where the
 * sign-in tests come.
 */
class SpotifyStallsTest extends EmulatedSpotifyTest {

	/** Far beyond the 5 s response timeout. */
	private static final Duration STALL = Duration.ofSeconds(30);

	/** The timeout plus generous room for a busy machine, and well short of the stall. */
	private static final Duration PROMPTLY = Duration.ofSeconds(20);

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

	@Test
	void stalledResponseTimesOutAndIsRetried() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.delay(Duration.ofSeconds(8)), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		// Three pages and one retry; the stalled request is logged only when the emulator
		// finishes it.
		assertThat(spotify.counters().tracksRequests()).isEqualTo(4);
	}

}
