package dev.savedtracks.library.read;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

import dev.savedtracks.library.SavedTracks;
import dev.savedtracks.library.Track;
import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.answer.Rows;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;

/**
 * What other modules read of a library, opened exactly as {@code GET /api/saved-tracks}
 * opens it ({@link LibraryOpener}).
 */
@Service
class LibraryDoor implements SavedTracks {

	private final LibraryOpener opener;

	private final LibraryReader reader;

	private final CsvTracks csv;

	private final JsonMapper json;

	LibraryDoor(LibraryOpener opener, LibraryReader reader, CsvTracks csv, JsonMapper json) {
		this.opener = opener;
		this.reader = reader;
		this.csv = csv;
		this.json = json;
	}

	@Override
	public SavedTracks.Window window(String accountId, int offset, int limit) {
		OpenLibrary library = this.opener.open(accountId,
				ReadRequest.of(new dev.savedtracks.library.answer.Window(offset, limit)));
		List<Track> items = new ArrayList<>(library.items());
		List<String> rows = (library.items() > 0)
				? this.reader.window(accountId, library.head(), offset, library.items()) : List.of();
		for (String row : rows) {
			items.add(this.json.readValue(row, Track.class));
		}
		return new SavedTracks.Window(summary(library), offset, items);
	}

	@Override
	public Summary each(String accountId, Consumer<Track> visitor) {
		OpenLibrary library = this.opener.open(accountId, ReadRequest.of(dev.savedtracks.library.answer.Window.ALL));
		try {
			Rows.of(this.reader, library)
				.each(rows -> rows.forEach(row -> visitor.accept(this.json.readValue(row, Track.class))));
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return summary(library);
	}

	@Override
	public Summary csv(String accountId, OutputStream out) throws IOException {
		OpenLibrary library = this.opener.open(accountId, ReadRequest.of(dev.savedtracks.library.answer.Window.ALL));
		this.csv.write(library, Rows.of(this.reader, library), out);
		return summary(library);
	}

	private static Summary summary(OpenLibrary library) {
		Head head = library.head();
		return new Summary(head.total(), head.spotifyTotal(), head.syncedAt(), library.stale());
	}

}
