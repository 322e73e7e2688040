package dev.savedtracks.library.read;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.answer.OpenLibrary.Throttle;
import dev.savedtracks.library.read.ReadRequest.Refresh;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.sync.SyncOutcome;

/**
 * The serve-or-sync decision, from the library's head, the caller's request and the time
 * alone (no I/O, so it is tested as a table): serve the cached copy as it is (fresh, or
 * throttled: no Spotify request), serve it marked stale (backing off after a failure: no
 * Spotify request), sync first, or refuse when nothing can be served. After a sync,
 * {@link #afterSync} decides what its outcome lets the caller have: whatever happens, a
 * copy that exists is served, marked stale with the outcome's reason, rather than an
 * error.
 */
final class ServeOrSync {

	private ServeOrSync() {
	}

	/** What a read does. */
	sealed interface Decision {

	}

	/**
	 * Serve {@code head}'s copy now.
	 *
	 * @param stale why it could not be confirmed with Spotify ({@code null}: fresh)
	 * @param throttled a per-person throttle that applied
	 * @param counted the {@code library.cache} result this read counts as ({@code null}:
	 * counted already, or not a cache read)
	 */
	record Serve(Head head, @Nullable StaleReason stale, @Nullable Throttle throttled,
			@Nullable CacheResult counted) implements Decision {
	}

	/** Sync first ({@code full}: read the whole library), then {@link #afterSync}. */
	record Sync(boolean full, @Nullable Throttle throttled, CacheResult counted) implements Decision {
	}

	/** Nothing can be served; {@code why} says what to answer. */
	record Refuse(SyncOutcome.Unsynced why) implements Decision {
	}

	/** Reads by cache result, the {@code library.cache} metric's tag. */
	enum CacheResult {

		/** Served with no Spotify request. */
		HIT,

		/** Nothing cached: synced first. */
		MISS,

		/** Revalidated first, or backing off after a failure. */
		REVALIDATION

	}

	/** The settings the decision depends on. */
	record Rules(Duration freshness, Duration minRecheck, Duration fullRefreshInterval) {

		static Rules of(LibrarySettings settings) {
			return new Rules(settings.freshness(), settings.minRecheck(), settings.fullRefreshInterval());
		}

	}

	/**
	 * What to do for a read of the library whose head is {@code head} ({@code null}:
	 * nothing cached) at {@code now}.
	 * @param coldFailure the failure of a library with no copy yet, while it backs off
	 */
	static Decision decide(@Nullable Head head, Refresh refresh, boolean acceptsStale,
			SyncOutcome.@Nullable Unsynced coldFailure, Instant now, Rules rules) {
		if (head == null) {
			return (coldFailure != null) ? new Refuse(coldFailure) : new Sync(false, null, CacheResult.MISS);
		}
		if (head.staleReason() == StaleReason.REAUTHORIZATION_REQUIRED) {
			return acceptsStale ? new Serve(head, StaleReason.REAUTHORIZATION_REQUIRED, null, null)
					: new Refuse(new SyncOutcome.SignInRequired());
		}
		Throttle throttled = null;
		boolean full = false;
		if (refresh == Refresh.FULL) {
			Duration left = until(head.fullSyncedAt(), rules.fullRefreshInterval(), now);
			throttled = (left != null) ? new Throttle(Throttle.FULL_SYNC, left) : null;
			full = left == null;
		}
		if (refresh != Refresh.NONE && !full && !rules.minRecheck().isZero()) {
			// refresh=true again and again (a caller toggling a track before each call)
			// costs one request per LIBRARY_MIN_RECHECK, not one per call.
			Duration left = until(head.checkedAt(), rules.minRecheck(), now);
			if (left != null && !head.backingOff(now)) {
				return new Serve(head, head.staleReason(), new Throttle(Throttle.RECHECK, left), CacheResult.HIT);
			}
		}
		if (refresh == Refresh.NONE && head.checkedAt() != null
				&& head.checkedAt().plus(rules.freshness()).isAfter(now)) {
			return new Serve(head, head.staleReason(), null, CacheResult.HIT);
		}
		if (head.backingOff(now)) {
			StaleReason reason = (head.staleReason() != null) ? head.staleReason() : StaleReason.SYNC_FAILED;
			return new Serve(head, reason, throttled, CacheResult.REVALIDATION);
		}
		return new Sync(full, throttled, CacheResult.REVALIDATION);
	}

	/**
	 * What a read of the library whose head was {@code head} gets after a sync that ended
	 * in {@code outcome}: {@link Serve} or {@link Refuse}.
	 * @param throttled the throttle the read was decided with
	 */
	static Decision afterSync(@Nullable Head head, SyncOutcome outcome, boolean acceptsStale,
			@Nullable Throttle throttled, Instant now) {
		if (outcome instanceof SyncOutcome.Synced synced) {
			return new Serve(synced.head(), synced.head().staleReason(), throttled, null);
		}
		SyncOutcome.Unsynced why = (SyncOutcome.Unsynced) outcome;
		if (head == null || why instanceof SyncOutcome.SignInRequired && !acceptsStale) {
			return new Refuse(why);
		}
		if (why instanceof SyncOutcome.FullSyncBudgetUsed used) {
			return new Serve(head, why.staleReason(),
					new Throttle(Throttle.FULL_SYNC_BUDGET, Duration.between(now, used.renewedAt())), null);
		}
		return new Serve(head, why.staleReason(), throttled, null);
	}

	/**
	 * How long until {@code interval} has passed since {@code since}; {@code null} when
	 * it has (or never started).
	 */
	private static @Nullable Duration until(@Nullable Instant since, Duration interval, Instant now) {
		if (since == null) {
			return null;
		}
		Duration left = Duration.between(now, since.plus(interval));
		return (left.isNegative() || left.isZero()) ? null : left;
	}

}
