package dev.savedtracks.library;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.spotify.SpotifyRateLimited;

/** {@link SavedTracks} on top of the same cache and sync decisions as the HTTP API. */
@Service
class SavedTracksReader implements SavedTracks {

	private final LibraryService library;

	private final LibraryReader reader;

	private final JsonMapper json;

	SavedTracksReader(LibraryService library, LibraryReader reader, JsonMapper json) {
		this.library = library;
		this.reader = reader;
		this.json = json;
	}

	@Override
	public Window window(String accountId, int offset, int limit) {
		LibraryService.Freshness freshness = this.library.prepare(accountId, false, false);
		LibraryReader.Window window = this.reader.read(accountId, new LibraryWindow(offset, limit, false));
		List<Track> items = new ArrayList<>(window.body().items().size());
		for (SavedTracksResponse.CachedTrack cached : window.body().items()) {
			items.add(this.json.readValue(cached.json(), Track.class));
		}
		return new Window(summary(window.head(), freshness), offset, items);
	}

	@Override
	public Summary each(String accountId, Consumer<Track> visitor) {
		LibraryService.Freshness freshness = this.library.prepare(accountId, false, false);
		Summary[] summary = new Summary[1];
		this.reader.stream(accountId, new LibraryWindow(0, LibraryWindow.MAX, false), head -> {
			summary[0] = summary(head, freshness);
			return row -> visitor.accept(this.json.readValue(row, Track.class));
		});
		return summary[0];
	}

	private static Summary summary(LibraryReader.Head head, LibraryService.Freshness freshness) {
		return new Summary(head.total(), head.total(), head.syncedAt(),
				freshness.stale() ? reason(freshness.cause()) : null);
	}

	private static StaleReason reason(@Nullable RuntimeException cause) {
		if (cause instanceof ReauthorizationRequired) {
			return StaleReason.REAUTHORIZATION_REQUIRED;
		}
		if (cause instanceof SpotifyRateLimited) {
			return StaleReason.SPOTIFY_RATE_LIMITED;
		}
		return StaleReason.SPOTIFY_UNAVAILABLE;
	}

}
