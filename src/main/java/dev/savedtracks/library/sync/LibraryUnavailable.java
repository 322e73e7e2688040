package dev.savedtracks.library.sync;

import java.time.Duration;

import org.springframework.http.HttpStatus;

import dev.savedtracks.library.StaleReason;
import dev.savedtracks.system.ProblemException;

/**
 * No copy of the library can be served now, for a reason of the service's own; trying
 * again later helps.
 */
class LibraryUnavailable extends ProblemException {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private LibraryUnavailable(StaleReason reason, String title, String detail, String logMessage,
			Duration retryAfter) {
		super(HttpStatus.SERVICE_UNAVAILABLE, reason.slug(), title, detail, logMessage, retryAfter, null);
	}

	/**
	 * A sync of this library is running, here or on another replica, and took longer than
	 * a request may wait.
	 */
	static LibraryUnavailable syncInProgress() {
		return new LibraryUnavailable(StaleReason.SYNC_IN_PROGRESS, "Sync in progress",
				"Your library is being synced with Spotify and that is taking longer than a request may wait. "
						+ "Try again in a moment.",
				"sync in progress", RETRY_AFTER);
	}

	/**
	 * The last sync failed for a reason of the service's own (such as a database error).
	 */
	static LibraryUnavailable syncFailed(String why) {
		return new LibraryUnavailable(StaleReason.SYNC_FAILED, "Sync failed",
				"Your library could not be synced just now. It is tried again shortly.", "sync failed: " + why,
				RETRY_AFTER);
	}

}
