package dev.savedtracks.library;

/**
 * Every sync attempt saw the library change under it (pages with different totals, duplicates or gaps), so no
 * consistent copy could be taken this time.
 */
public class LibraryChangedDuringSync extends RuntimeException {

	LibraryChangedDuringSync(String accountId, int attempts) {
		super("library of " + accountId + " kept changing during " + attempts + " sync attempts");
	}

}
