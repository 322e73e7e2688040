package dev.savedtracks.library.answer;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.savedtracks.library.store.LibraryReader;

/**
 * Reads the rows of an opened library's window: in one query for the small windows
 * answered from memory, or in chunks of {@value #CHUNK}, each a query of its own, for
 * answers streamed to the client, so that no database connection is held while a slow
 * client reads.
 */
@Component
public class LibraryReads {

	/** Rows per query when streaming: about 300 KB of JSON. */
	public static final int CHUNK = 500;

	private final LibraryReader tracks;

	public LibraryReads(LibraryReader tracks) {
		this.tracks = tracks;
	}

	/** The window's rows, in one query. */
	public List<String> window(OpenLibrary library) {
		int items = library.items();
		return (items > 0) ? this.tracks.window(library.accountId(), library.head(), library.window().offset(), items)
				: List.of();
	}

	/** The window's rows, chunk by chunk. */
	public void chunks(OpenLibrary library, LibraryReader.ChunkSink sink) throws Exception {
		int items = library.items();
		if (items > 0) {
			this.tracks.chunks(library.accountId(), library.head(), library.window().offset(), items, CHUNK, sink);
		}
	}

}
