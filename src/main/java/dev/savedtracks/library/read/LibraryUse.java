package dev.savedtracks.library.read;

import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

import dev.savedtracks.library.store.LibraryWriter;

/**
 * Remembers which libraries are read, for the warm-up: the {@code read_at} of a library
 * is written at most once an hour per replica, so a cache hit costs a lookup in memory,
 * not a database write.
 */
@Component
class LibraryUse {

	private static final Log logger = LogFactory.getLog(LibraryUse.class);

	private static final Duration PRECISION = Duration.ofHours(1);

	private final LibraryWriter writer;

	private final Cache<String, Boolean> recorded = Caffeine.newBuilder()
		.expireAfterWrite(PRECISION)
		.maximumSize(100_000)
		.build();

	LibraryUse(LibraryWriter writer) {
		this.writer = writer;
	}

	/** The library was read at {@code now}. */
	void read(String accountId, Instant now) {
		if (this.recorded.getIfPresent(accountId) != null) {
			return;
		}
		try {
			this.writer.recordRead(accountId, now);
			this.recorded.put(accountId, Boolean.TRUE);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record that a library was read: " + ex.getMessage());
		}
	}

	/**
	 * Forgets what was recorded, so the next read is recorded again (a deleted account,
	 * tests).
	 */
	void forget(String accountId) {
		this.recorded.invalidate(accountId);
	}

}
