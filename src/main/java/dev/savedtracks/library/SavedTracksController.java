package dev.savedtracks.library;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.savedtracks.spotify.SpotifyRateLimited;

/** {@code GET /api/saved-tracks}: the caller's whole library, or a window of it, from the per-person cache. */
@RestController
class SavedTracksController {

	/** Present, with the reason, when the library is served from cache because Spotify could not be asked. */
	static final String STALE_HEADER = "X-Library-Stale";

	private final LibraryService library;

	private final LibraryReader reader;

	SavedTracksController(LibraryService library, LibraryReader reader) {
		this.library = library;
		this.reader = reader;
	}

	@GetMapping(path = "/api/saved-tracks", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<SavedTracksResponse> savedTracks(HttpServletRequest request, Authentication caller) {
		LibraryWindow window = LibraryWindow.parse(request.getParameterMap());
		String accountId = caller.getName();
		LibraryService.Freshness freshness = this.library.prepare(accountId, window.refresh());
		SavedTracksResponse body = this.reader.read(accountId, window);
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (freshness.stale()) {
			response.header(STALE_HEADER, staleReason(freshness.cause()));
		}
		return response.body(body);
	}

	private static String staleReason(@org.jspecify.annotations.Nullable RuntimeException cause) {
		if (cause instanceof SpotifyRateLimited) {
			return "spotify-rate-limited";
		}
		return "spotify-unavailable";
	}

}
