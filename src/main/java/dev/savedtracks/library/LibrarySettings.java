package dev.savedtracks.library;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * How long a cached library is served without asking Spotify, how often a sync that keeps seeing the library
 * change under it is restarted before giving up, how long a replica's claim on a sync lasts without renewal (the
 * delay before another replica takes over from one that died), how long a request waits for another replica's
 * sync of the same library, and how much memory may hold encoded JSON answers of cached libraries (0
 * turns that off).
 */
@ConfigurationProperties("library")
record LibrarySettings(@DefaultValue("5m") Duration freshness, @DefaultValue("3") int maxSyncAttempts,
		@DefaultValue("30s") Duration syncLease, @DefaultValue("60s") Duration syncWait,
		@DefaultValue("16MB") DataSize responseCache) {

	LibrarySettings {
		if (freshness.isNegative()) {
			throw new InvalidConfiguration("LIBRARY_FRESHNESS must not be negative, was " + freshness,
					"Set LIBRARY_FRESHNESS to a duration such as 5m or 30s.");
		}
		if (syncLease.compareTo(Duration.ofSeconds(1)) < 0 || syncWait.isNegative()) {
			throw new InvalidConfiguration("LIBRARY_SYNC_LEASE must be at least 1s and LIBRARY_SYNC_WAIT not negative",
					"Use durations such as 30s and 60s.");
		}
		if (responseCache.toBytes() < 0) {
			throw new InvalidConfiguration("LIBRARY_RESPONSE_CACHE_SIZE must not be negative, was " + responseCache,
					"Set LIBRARY_RESPONSE_CACHE_SIZE to a size such as 16MB, or 0 to turn the cache off.");
		}
		if (maxSyncAttempts < 1 || maxSyncAttempts > 10) {
			throw new InvalidConfiguration("LIBRARY_MAX_SYNC_ATTEMPTS must be between 1 and 10, was " + maxSyncAttempts,
					"Set LIBRARY_MAX_SYNC_ATTEMPTS to a small number such as 3.");
		}
	}

}
