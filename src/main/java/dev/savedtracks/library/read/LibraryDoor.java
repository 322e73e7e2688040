package dev.savedtracks.library.read;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;
import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.answer.Rows;
import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.SyncProgress;
import dev.savedtracks.library.sync.SyncRunner;

/**
 * The library's door for other modules ({@link Library}): reads opened exactly as
 * {@code GET /api/saved-tracks} opens them ({@link LibraryOpener}), and the state of a
 * person's library and sync as the layers below know it.
 */
@Service
class LibraryDoor implements Library {

	private final LibraryOpener opener;

	private final LibraryReader reader;

	private final SyncRunner syncs;

	private final SyncProgress progress;

	private final CsvTracks csv;

	private final JsonMapper json;

	private final DownloadLinks links;

	private final ParsedCopies parsed;

	LibraryDoor(LibraryOpener opener, LibraryReader reader, SyncRunner syncs, SyncProgress progress, CsvTracks csv,
			JsonMapper json, DownloadLinks links, ParsedCopies parsed) {
		this.links = links;
		this.parsed = parsed;
		this.opener = opener;
		this.reader = reader;
		this.syncs = syncs;
		this.progress = progress;
		this.csv = csv;
		this.json = json;
	}

	@Override
	public Tracks window(String accountId, int offset, int limit) {
		OpenLibrary library = this.opener.open(accountId, ReadRequest.of(new Window(offset, limit)));
		List<String> rows = (library.items() > 0)
				? this.reader.window(accountId, library.head(), offset, library.items()) : List.of();
		List<Track> items = new ArrayList<>(rows.size());
		for (String row : rows) {
			items.add(this.json.readValue(row, Track.class));
		}
		return new Tracks(copy(library), offset, items);
	}

	@Override
	public Copy each(String accountId, Consumer<Track> visitor) {
		OpenLibrary library = this.opener.open(accountId, ReadRequest.of(Window.ALL));
		Copy copy = copy(library);
		this.parsed.each(accountId, copy.version(), library.items(), visitor, store(library));
		return copy;
	}

	@Override
	public <T> Copy each(String accountId, Derived<T> derived, BiConsumer<Track, T> visitor) {
		OpenLibrary library = this.opener.open(accountId, ReadRequest.of(Window.ALL));
		Copy copy = copy(library);
		this.parsed.each(accountId, copy.version(), library.items(), derived, visitor, store(library));
		return copy;
	}

	/** Every track of the opened copy, parsed from the store's rows. */
	private ParsedCopies.Source store(OpenLibrary library) {
		return tracks -> {
			try {
				Rows.of(this.reader, library)
					.each(rows -> rows.forEach(row -> tracks.accept(this.json.readValue(row, Track.class))));
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

	@Override
	public Copy csv(String accountId, OutputStream out) throws IOException {
		OpenLibrary library = this.opener.open(accountId, ReadRequest.of(Window.ALL));
		this.csv.write(library, Rows.of(this.reader, library), out);
		return copy(library);
	}

	@Override
	public DownloadLink downloadLink(String accountId, String format) {
		if (!List.of("csv", "ndjson", "json").contains(format)) {
			throw new IllegalArgumentException("No download format " + format);
		}
		return this.links.create(accountId, format);
	}

	@Override
	public Optional<Status> status(String accountId) {
		return this.reader.head(accountId).map(head -> {
			SyncState state = this.syncs.isRunning(accountId) ? SyncState.SYNCING
					: (head.staleReason() != null) ? SyncState.FAILED : SyncState.COMPLETE;
			return new Status(head.total(), head.spotifyTotal(), head.unlisted(), head.removed(), head.duplicates(),
					head.syncedAt(), head.checkedAt(), state, head.staleReason());
		});
	}

	@Override
	public Optional<Progress> syncProgress(String accountId) {
		return this.progress.of(accountId);
	}

	private static Copy copy(OpenLibrary library) {
		Head head = library.head();
		String version = head.epoch() + "." + head.version() + "."
				+ ((head.syncedAt() != null) ? head.syncedAt().toEpochMilli() : 0);
		return new Copy(head.total(), head.spotifyTotal(), head.syncedAt(), library.stale(), version);
	}

}
