package dev.savedtracks.library.sync;

import java.time.Duration;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.savedtracks.library.LibrarySettings;

/**
 * How long a library's syncs pause after consecutive failures:
 * {@code LIBRARY_FAILURE_BACKOFF} doubled per failure, with a quarter of jitter either
 * way (never below the first pause), at most {@code LIBRARY_MAX_FAILURE_BACKOFF}, and
 * never shorter than Spotify's own {@code Retry-After}. Spring's
 * {@link ExponentialBackOff} does the arithmetic; the failures are counted on the library
 * row, so each pause is computed from their number.
 */
final class FailureBackoff {

	/** Enough doublings to reach any cap from any first pause. */
	private static final int MAX_STEPS = 32;

	private final ExponentialBackOff backOff;

	FailureBackoff(Duration first, Duration max) {
		this.backOff = new ExponentialBackOff(first.toMillis(), 2.0);
		this.backOff.setMaxInterval(max.toMillis());
		this.backOff.setJitter(first.toMillis() / 4);
	}

	static FailureBackoff of(LibrarySettings settings) {
		return new FailureBackoff(settings.failureBackoff(), settings.maxFailureBackoff());
	}

	/**
	 * The pause after the {@code failures}-th consecutive failure that ended in
	 * {@code outcome}.
	 */
	Duration after(int failures, SyncOutcome.Unsynced outcome) {
		BackOffExecution execution = this.backOff.start();
		long millis = 0;
		for (int i = 0; i < Math.min(Math.max(failures, 1), MAX_STEPS); i++) {
			millis = execution.nextBackOff();
		}
		Duration pause = Duration.ofMillis(Math.max(0, millis));
		if (outcome instanceof SyncOutcome.SpotifyFailed spotify && spotify.failure().retryAfter() != null
				&& spotify.failure().retryAfter().compareTo(pause) > 0) {
			return spotify.failure().retryAfter();
		}
		return pause;
	}

}
