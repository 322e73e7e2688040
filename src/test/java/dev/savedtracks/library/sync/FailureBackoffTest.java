package dev.savedtracks.library.sync;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyUnavailable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After consecutive failures a library's syncs pause for {@code LIBRARY_FAILURE_BACKOFF}
 * doubled per failure, with jitter, at most {@code LIBRARY_MAX_FAILURE_BACKOFF}, and
 * never less than Spotify's own Retry-After.
 */
class FailureBackoffTest {

	private static final Duration FIRST = Duration.ofSeconds(30);

	private static final Duration MAX = Duration.ofMinutes(15);

	private final FailureBackoff backoff = new FailureBackoff(FIRST, MAX);

	private final SyncOutcome.Unsynced unavailable = new SyncOutcome.SpotifyFailed(new SpotifyUnavailable("502", null));

	@RepeatedTest(20)
	void eachFailureDoublesThePauseWithAQuarterOfJitterButNeverLessThanTheFirstPause() {
		assertThat(this.backoff.after(1, this.unavailable)).isBetween(FIRST, FIRST.plus(FIRST.dividedBy(4)));
		assertThat(this.backoff.after(2, this.unavailable)).isBetween(FIRST.multipliedBy(2).minus(FIRST.dividedBy(2)),
				FIRST.multipliedBy(2).plus(FIRST.dividedBy(2)));
		assertThat(this.backoff.after(4, this.unavailable)).isBetween(Duration.ofSeconds(180), Duration.ofSeconds(300));
	}

	@RepeatedTest(20)
	void thePauseIsCappedAndStillJittered() {
		assertThat(this.backoff.after(6, this.unavailable)).isBetween(MAX.minus(MAX.dividedBy(4)), MAX);
		assertThat(this.backoff.after(1000, this.unavailable)).isBetween(MAX.minus(MAX.dividedBy(4)), MAX);
	}

	@Test
	void spotifysRetryAfterIsNeverCutShort() {
		SyncOutcome.Unsynced rateLimited = new SyncOutcome.SpotifyFailed(new SpotifyRateLimited(Duration.ofHours(1)));

		assertThat(this.backoff.after(1, rateLimited)).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void noFirstPauseMeansNoPause() {
		FailureBackoff none = new FailureBackoff(Duration.ZERO, MAX);

		assertThat(none.after(1, this.unavailable)).isZero();
		assertThat(none.after(10, this.unavailable)).isZero();
	}

}
