package dev.savedtracks.library;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * How long a cached library is served without asking Spotify, and how often a sync that keeps seeing the library
 * change under it is restarted before giving up.
 */
@ConfigurationProperties("library")
record LibrarySettings(@DefaultValue("5m") Duration freshness, @DefaultValue("3") int maxSyncAttempts) {

	LibrarySettings {
		if (freshness.isNegative()) {
			throw new InvalidConfiguration("LIBRARY_FRESHNESS must not be negative, was " + freshness,
					"Set LIBRARY_FRESHNESS to a duration such as 5m or 30s.");
		}
		if (maxSyncAttempts < 1 || maxSyncAttempts > 10) {
			throw new InvalidConfiguration("LIBRARY_MAX_SYNC_ATTEMPTS must be between 1 and 10, was " + maxSyncAttempts,
					"Set LIBRARY_MAX_SYNC_ATTEMPTS to a small number such as 3.");
		}
	}

}
