package dev.savedtracks.spotify.webapi;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;
import dev.savedtracks.spotify.webapi.PageRetries.TransientFault;
import dev.savedtracks.spotify.webapi.PageRetries.TryAgain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which attempts are retried, when, and how often, in virtual time: transient faults
 * after a growing, jittered backoff and a bounded number of times; what the request must
 * try again (a replaced token, a pause waited out, an empty page) at once; nothing else.
 */
class PageRetriesTest {

	/**
	 * Three retries, after 200 ms, 400 ms, 800 ms, each give or take half (never less
	 * than 200 ms), at most 5 s.
	 */
	private final PageRetries retries = new PageRetries(settings(3));

	private final AtomicInteger attempts = new AtomicInteger();

	@Test
	void transientFaultsAreRetriedAfterABackoff() {
		StepVerifier.withVirtualTime(() -> this.retries.retried(attempts(transientFault(), transientFault(), "page")))
			.expectSubscription()
			.then(() -> assertThat(this.attempts).hasValue(1))
			.thenAwait(Duration.ofMillis(199))
			.then(() -> assertThat(this.attempts).as("not before the first backoff").hasValue(1))
			.thenAwait(Duration.ofMillis(101))
			.then(() -> assertThat(this.attempts).as("within the first backoff and half of it").hasValue(2))
			// The second attempt went at 200-300 ms, and the second backoff is 400 ms
			// give
			// or take half, never under 200 ms: the third attempt goes at 400-900 ms.
			.thenAwait(Duration.ofMillis(99))
			.then(() -> assertThat(this.attempts).as("the second backoff, never under 200 ms").hasValue(2))
			.thenAwait(Duration.ofMillis(501))
			.expectNext("page")
			.verifyComplete();
		assertThat(this.attempts).hasValue(3);
	}

	@Test
	void transientFaultsAreRetriedAsOftenAsSetThenTheRequestFailsWithTheLastOne() {
		StepVerifier
			.withVirtualTime(() -> this.retries.retried(attempts(transientFault(), transientFault(), transientFault(),
					new TransientFault(new SpotifyProtocolViolation("malformed saved-tracks page (3 bytes)")), "page")))
			.thenAwait(Duration.ofMinutes(1))
			.expectErrorSatisfies(error -> assertThat(error).isExactlyInstanceOf(SpotifyProtocolViolation.class)
				.hasMessageContaining("malformed"))
			.verify();
		assertThat(this.attempts).hasValue(4);
	}

	@Test
	void noRetriesMeansOneAttempt() {
		StepVerifier.create(new PageRetries(settings(0)).retried(attempts(transientFault(), "page")))
			.expectError(SpotifyUnavailable.class)
			.verify(Duration.ofSeconds(5));
		assertThat(this.attempts).hasValue(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "access-denied", "rejected", "rate-limited", "quota-exceeded", "not-spotify" })
	void otherFailuresAreNotRetried(String kind) {
		RuntimeException failure = switch (kind) {
			case "access-denied" -> new SpotifyAccessDenied(SpotifyAccessDenied.Reason.OTHER, "403");
			case "rejected" -> new SpotifyRequestRejected(404, "no");
			case "rate-limited" -> new SpotifyRateLimited(Duration.ofHours(1));
			case "quota-exceeded" -> new SpotifyQuotaExceeded(Duration.ofMinutes(1));
			default -> new IllegalStateException("a bug, not Spotify");
		};

		StepVerifier.create(this.retries.retried(attempts(failure, "page")))
			.expectErrorMatches(error -> error == failure)
			.verify();
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void whatTheRequestMustTryAgainIsTriedAgainAtOnce() {
		// No virtual time passes: a retry after a 429 waits for the app-wide pause when
		// it takes its next permit, not here.
		StepVerifier
			.withVirtualTime(() -> this.retries.retried(attempts(new TryAgain("access token rejected"),
					new TryAgain("rate limited"), new TryAgain("empty saved-tracks page with a next link"), "page")))
			.expectNext("page")
			.verifyComplete();
		assertThat(this.attempts).hasValue(4);
	}

	@Test
	void aTransientFaultAfterATryAgainKeepsCountingTowardsTheSameLimit() {
		StepVerifier
			.withVirtualTime(() -> this.retries.retried(attempts(transientFault(), new TryAgain("rate limited"),
					transientFault(), new TryAgain("rate limited"), transientFault(), transientFault(), "page")))
			.thenAwait(Duration.ofMinutes(1))
			.expectError(SpotifyUnavailable.class)
			.verify();
		assertThat(this.attempts).as("three retries of transient faults in all").hasValue(6);
	}

	/**
	 * A source that fails with the given failures, one per attempt, and then emits the
	 * given value.
	 */
	private Mono<String> attempts(Object... outcomes) {
		Deque<Object> left = new ArrayDeque<>(Arrays.asList(outcomes));
		return Mono.defer(() -> {
			this.attempts.incrementAndGet();
			Object outcome = left.pop();
			return (outcome instanceof RuntimeException failure) ? Mono.error(failure) : Mono.just((String) outcome);
		});
	}

	private static TransientFault transientFault() {
		return new TransientFault(new SpotifyUnavailable("Spotify answered 503", null));
	}

	private static SpotifySettings settings(int maxRetries) {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"),
				URI.create("https://api.spotify.com"), "", Duration.ofSeconds(2), Duration.ofSeconds(5), maxRetries,
				Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(15), 8, "unlimited",
				Duration.ofSeconds(2), Duration.ofSeconds(30));
	}

}
