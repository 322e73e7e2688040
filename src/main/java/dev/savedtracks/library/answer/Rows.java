package dev.savedtracks.library.answer;

import dev.savedtracks.library.store.LibraryReader;

/**
 * The JSON of an opened window's tracks, handed over chunk by chunk, each chunk a query
 * of its own ({@value #CHUNK} rows, about 300 KB of JSON), so that no database connection
 * is held while a slow client reads.
 */
@FunctionalInterface
public interface Rows {

	/** Rows per chunk. */
	int CHUNK = 500;

	/** Hands every row of the window to {@code sink}, in order, chunk by chunk. */
	void each(LibraryReader.ChunkSink sink) throws Exception;

	/** The rows of {@code library}'s window, from its copy in the database. */
	static Rows of(LibraryReader reader, OpenLibrary library) {
		return sink -> {
			if (library.items() > 0) {
				reader.chunks(library.accountId(), library.head(), library.window().offset(), library.items(), CHUNK,
						sink);
			}
		};
	}

}
