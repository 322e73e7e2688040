package dev.savedtracks.library.answer;

import java.io.IOException;
import java.io.OutputStream;

import org.springframework.http.MediaType;

import dev.savedtracks.library.Track;

/**
 * One of the formats a library window is answered in (JSON, CSV, NDJSON). Each writes the
 * tracks of one opened copy, with their fields in {@link Track}'s order, reading the rows
 * in chunks so that no format ever holds more than a chunk.
 */
public interface SavedTracksFormat {

	/** The name that keeps ETags of different formats apart. */
	String name();

	MediaType mediaType();

	/**
	 * Writes the window of {@code library} to {@code out}, its tracks taken from
	 * {@code rows}.
	 */
	void write(OpenLibrary library, Rows rows, OutputStream out) throws IOException;

}
