package dev.savedtracks.library;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import dev.savedtracks.library.SavedTracksResponse.CachedTrack;

/** Reads a window of the cached library together with its metadata, from one consistent snapshot. */
@Component
class LibraryReader {

	private final LibraryStateRepository states;

	private final LibraryTrackStore tracks;

	LibraryReader(LibraryStateRepository states, LibraryTrackStore tracks) {
		this.states = states;
		this.tracks = tracks;
	}

	// Repeatable read: a sync committing between the two queries must not pair the old total with new rows.
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	SavedTracksResponse read(String accountId, LibraryWindow window) {
		LibraryState state = this.states.findById(accountId)
			.orElseThrow(() -> new IllegalStateException("no cached library for " + accountId));
		int limit = Math.min(window.limit(), Math.max(0, state.total() - window.offset()));
		List<CachedTrack> items = (limit > 0)
				? this.tracks.window(accountId, window.offset(), limit).stream().map(CachedTrack::new).toList()
				: List.of();
		return new SavedTracksResponse(state.total(), window.offset(), state.syncedAt(), items);
	}

}
