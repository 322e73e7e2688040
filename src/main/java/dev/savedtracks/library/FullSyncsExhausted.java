package dev.savedtracks.library;

import java.time.Instant;

/**
 * The copy differs from Spotify in a way only a full sync mends, and this library has had
 * its {@code LIBRARY_MAX_FULL_SYNCS_PER_DAY} full syncs within the last day: the copy is
 * served, marked with why, until {@link #retryAt()}. A cached library only: a first copy
 * is always synced.
 */
class FullSyncsExhausted extends RuntimeException implements SyncFailure {

	private final Instant retryAt;

	FullSyncsExhausted(Instant retryAt) {
		super("the library's full syncs of the day are used up", null, false, false);
		this.retryAt = retryAt;
	}

	Instant retryAt() {
		return this.retryAt;
	}

	@Override
	public StaleReason staleReason() {
		return StaleReason.FULL_SYNCS_EXHAUSTED;
	}

}
