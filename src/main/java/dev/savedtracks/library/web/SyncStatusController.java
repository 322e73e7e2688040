package dev.savedtracks.library.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.savedtracks.library.Library;
import dev.savedtracks.spotify.budget.RequestPermits;

/**
 * {@code GET /api/sync-status}: how far the caller's running sync has got, for a progress
 * bar.
 */
@RestController
@Tag(name = "Me")
class SyncStatusController {

	private final Library library;

	private final RequestPermits permits;

	SyncStatusController(Library library, RequestPermits permits) {
		this.library = library;
		this.permits = permits;
	}

	@Operation(operationId = "getSyncStatus", summary = "Progress of the caller's running sync",
			description = "On whichever replica the sync runs: pages fetched of pages needed, and how long Spotify "
					+ "asked the app to wait (429), if it did. For a progress bar: cheap enough to poll twice a "
					+ "second.")
	@ApiResponse(responseCode = "200", description = "The running sync's progress, or syncing false when none runs")
	@GetMapping("/api/sync-status")
	SyncStatus status(Authentication caller) {
		long waiting = (this.permits.pauseRemaining().toMillis() + 999) / 1000;
		return this.library.syncProgress(caller.getName())
			.map(p -> new SyncStatus(true, p.pagesFetched(), p.pagesTotal(), waiting))
			.orElse(new SyncStatus(false, 0, 0, waiting));
	}

	/**
	 * A sync's progress; {@code pagesTotal} is 0 until the first page has told the
	 * library's size.
	 */
	record SyncStatus(boolean syncing, int pagesFetched, int pagesTotal, long waitingForSpotifySeconds) {
	}

}
