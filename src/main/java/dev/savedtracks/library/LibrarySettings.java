package dev.savedtracks.library;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * How the library cache behaves (each setting is an environment variable, see the
 * README):
 *
 * @param freshness how long a confirmed copy is served without asking Spotify
 * ({@code LIBRARY_FRESHNESS})
 * @param maxSyncAttempts full reads of a library whose listing keeps changing before
 * giving up
 * @param syncLease how long a replica's claim on a sync lasts without renewal (how soon
 * another takes over from one that died)
 * @param syncWait how long a request waits for a sync (its own or another replica's)
 * before answering stale or 503
 * @param responseCache memory for encoded JSON answers of cached libraries (0 turns the
 * cache off)
 * @param fullSyncInterval how often at most a copy is fully reconciled with Spotify, to
 * catch edits deep in the library that the one-request check cannot see
 * @param fullRefreshInterval how often a caller may ask for a full reconciliation
 * ({@code refresh=full})
 * @param maxConcurrentSyncs threads that start syncs in one replica (a running sync holds
 * none while it waits for the request budget)
 * @param maxWaitersPerLibrary requests that may wait for one library's sync at once; more
 * answer at once (stale, or 503), so that one person's storm of requests cannot hold
 * every request thread
 * @param failureBackoff the first pause after a failed sync, doubled per failure
 * @param maxFailureBackoff the longest such pause
 * @param exportThreads threads writing downloads (streamed answers) to clients
 * @param exportsPerAccount downloads one person may have running at once
 * @param exportTimeout the longest a download may take
 * @param retiredCopyGrace how long a replaced copy is kept for downloads still reading it
 * @param answerMemory memory that answers held whole in memory may take together (0: a
 * quarter of the heap); beyond it they are streamed
 * @param maxTopPages pages of tracks added on top fetched as such; more are read by a
 * full sync
 * @param minRecheck {@code refresh=true} within this time of the last check answers from
 * the copy ({@code LIBRARY_MIN_RECHECK})
 * @param maxFullSyncsPerDay full syncs of one cached library within a day; beyond them
 * the copy is served, marked ({@code LIBRARY_MAX_FULL_SYNCS_PER_DAY})
 * @param warmUp revalidate libraries in use in the background shortly before their
 * freshness runs out ({@code LIBRARY_WARM_UP}; when false the warm-up does not exist)
 * @param warmUpReadWithin libraries read within this time are kept warm
 * ({@code LIBRARY_WARM_UP_READ_WITHIN})
 * @param warmUpLead how long before its freshness runs out a library is revalidated
 * ({@code LIBRARY_WARM_UP_LEAD})
 * @param maxWaitersTotal requests that may wait for syncs at once on this replica, all
 * libraries together ({@code LIBRARY_MAX_WAITERS_TOTAL}); more answer at once, so that a
 * few libraries' storms cannot park every request thread either
 */
@ConfigurationProperties("library")
public record LibrarySettings(@DefaultValue("5m") Duration freshness, @DefaultValue("3") int maxSyncAttempts,
		@DefaultValue("30s") Duration syncLease, @DefaultValue("60s") Duration syncWait,
		@DefaultValue("16MB") DataSize responseCache, @DefaultValue("24h") Duration fullSyncInterval,
		@DefaultValue("15m") Duration fullRefreshInterval, @DefaultValue("16") int maxConcurrentSyncs,
		@DefaultValue("50") int maxWaitersPerLibrary, @DefaultValue("30s") Duration failureBackoff,
		@DefaultValue("15m") Duration maxFailureBackoff, @DefaultValue("32") int exportThreads,
		@DefaultValue("2") int exportsPerAccount, @DefaultValue("30m") Duration exportTimeout,
		@DefaultValue("15m") Duration retiredCopyGrace, @DefaultValue("0") DataSize answerMemory,
		@DefaultValue("20") int maxTopPages, @DefaultValue("10s") Duration minRecheck,
		@DefaultValue("24") int maxFullSyncsPerDay, @DefaultValue("true") boolean warmUp,
		@DefaultValue("3d") Duration warmUpReadWithin, @DefaultValue("1m") Duration warmUpLead,
		@DefaultValue("100") int maxWaitersTotal) {

	public LibrarySettings {
		if (freshness.isNegative()) {
			throw new InvalidConfiguration("LIBRARY_FRESHNESS must not be negative, was " + freshness,
					"Set LIBRARY_FRESHNESS to a duration such as 5m or 30s.");
		}
		if (syncLease.compareTo(Duration.ofSeconds(1)) < 0 || syncWait.isNegative()) {
			throw new InvalidConfiguration("LIBRARY_SYNC_LEASE must be at least 1s and LIBRARY_SYNC_WAIT not negative",
					"Use durations such as 30s and 60s.");
		}
		if (responseCache.toBytes() < 0 || answerMemory.toBytes() < 0) {
			throw new InvalidConfiguration("LIBRARY_RESPONSE_CACHE_SIZE and LIBRARY_ANSWER_MEMORY must not be negative",
					"Use sizes such as 16MB and 64MB (0 for the answer memory: a quarter of the heap).");
		}
		if (maxSyncAttempts < 1 || maxSyncAttempts > 10) {
			throw new InvalidConfiguration("LIBRARY_MAX_SYNC_ATTEMPTS must be between 1 and 10, was " + maxSyncAttempts,
					"Set LIBRARY_MAX_SYNC_ATTEMPTS to a small number such as 3.");
		}
		if (fullSyncInterval.compareTo(Duration.ofMinutes(1)) < 0 && !fullSyncInterval.isZero()
				|| fullSyncInterval.isNegative() || fullRefreshInterval.isNegative()) {
			throw new InvalidConfiguration("LIBRARY_FULL_SYNC_INTERVAL must be at least 1m (or 0: every revalidation)"
					+ " and LIBRARY_FULL_REFRESH_INTERVAL not negative", "Use durations such as 24h and 15m.");
		}
		if (maxConcurrentSyncs < 1 || maxWaitersPerLibrary < 1 || exportThreads < 1 || exportsPerAccount < 1
				|| maxTopPages < 1 || maxWaitersTotal < 1) {
			throw new InvalidConfiguration(
					"LIBRARY_MAX_CONCURRENT_SYNCS, LIBRARY_MAX_WAITERS, LIBRARY_MAX_WAITERS_TOTAL, LIBRARY_EXPORT_THREADS, "
							+ "LIBRARY_EXPORTS_PER_ACCOUNT and LIBRARY_MAX_TOP_PAGES must be at least 1",
					"Leave them unset for the defaults.");
		}
		if (minRecheck.isNegative() || maxFullSyncsPerDay < 1 || warmUpReadWithin.isNegative()
				|| warmUpLead.isNegative()) {
			throw new InvalidConfiguration(
					"LIBRARY_MIN_RECHECK, LIBRARY_WARM_UP_READ_WITHIN and LIBRARY_WARM_UP_LEAD "
							+ "must not be negative, and LIBRARY_MAX_FULL_SYNCS_PER_DAY must be at least 1",
					"Use values such as 10s, 3d, 1m and 24.");
		}
		if (failureBackoff.isNegative() || maxFailureBackoff.compareTo(failureBackoff) < 0
				|| maxFailureBackoff.isZero()) {
			throw new InvalidConfiguration(
					"LIBRARY_FAILURE_BACKOFF must not be negative nor exceed "
							+ "LIBRARY_MAX_FAILURE_BACKOFF, which must be positive",
					"Use durations such as 30s and 15m.");
		}
	}

}
