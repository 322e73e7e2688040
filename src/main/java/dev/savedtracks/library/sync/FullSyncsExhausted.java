package dev.savedtracks.library.sync;

import java.time.Instant;

import dev.savedtracks.library.StaleReason;

/**
 * The copy differs from Spotify in a way only a full sync mends, and this library has had
 * its {@code LIBRARY_MAX_FULL_SYNCS_PER_DAY} full syncs within the last day: the copy is
 * served, marked with why, until {@link #retryAt()}. A cached library only: a first copy
 * is always synced.
 */
public class FullSyncsExhausted extends RuntimeException implements SyncFailure {

	private final Instant retryAt;

	public FullSyncsExhausted(Instant retryAt) {
		super("the library's full syncs of the day are used up", null, false, false);
		this.retryAt = retryAt;
	}

	public Instant retryAt() {
		return this.retryAt;
	}

	@Override
	public StaleReason staleReason() {
		return StaleReason.FULL_SYNCS_EXHAUSTED;
	}

}
