package dev.savedtracks.library.sync;

import java.time.Duration;

import org.springframework.http.HttpStatus;

import dev.savedtracks.system.ProblemException;

/**
 * Every sync attempt saw Spotify's listing of the library change under it (the person
 * saving or removing tracks meanwhile), so no consistent copy could be taken this time.
 */
class LibraryChangedDuringSync extends ProblemException {

	LibraryChangedDuringSync(String accountId, int attempts) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "library-changing", "Library is changing",
				"Your library kept changing while it was being read. Try again in a moment.",
				"library of " + accountId + " kept changing during " + attempts + " sync attempts",
				Duration.ofSeconds(5), null);
	}

}
