package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Chooses how the body of an answer is produced. JSON windows of up to
 * {@value #IN_MEMORY_MAX_ITEMS} tracks (a whole library of 10,000 is about 5 MB) are
 * written whole from memory on the request thread, copied from {@link EncodedWindows} or
 * encoded now, while the memory budget holds them (until the client has taken them all).
 * Everything else, and what the budget cannot hold, is a download written by
 * {@link Exports}' threads: copied from the file {@link AnswerFiles} kept of the same
 * version, or read from the database in chunks as the client takes them (and kept).
 */
@Component
public class SavedTracksAnswers {

	/** JSON windows up to this size may be held in memory. */
	static final int IN_MEMORY_MAX_ITEMS = 10_000;

	/** A generous estimate of one track's JSON, for the memory budget. */
	private static final long BYTES_PER_TRACK = 700;

	private final JsonTracks json;

	private final LibraryReads reads;

	private final EncodedWindows encoded;

	private final MemoryBudget memory;

	private final Exports exports;

	private final AnswerFiles files;

	SavedTracksAnswers(JsonTracks json, LibraryReads reads, EncodedWindows encoded, MemoryBudget memory,
			Exports exports, AnswerFiles files) {
		this.json = json;
		this.reads = reads;
		this.encoded = encoded;
		this.memory = memory;
		this.exports = exports;
		this.files = files;
	}

	/**
	 * Answers with the window of {@code library}: a JSON window the memory budget can
	 * hold is written to {@code response} at once ({@code null} is returned); anything
	 * else is returned as a download to be streamed.
	 */
	public @Nullable ResponseEntity<StreamingResponseBody> answer(OpenLibrary library, SavedTracksFormat format,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (format == this.json && library.items() <= IN_MEMORY_MAX_ITEMS) {
			byte[] cached = this.encoded.find(library);
			try (MemoryBudget.Grant grant = this.memory.tryTake((cached != null) ? cached.length : estimate(library))) {
				if (grant != null) {
					byte[] body = (cached != null) ? cached : encode(library);
					response.setContentType(format.mediaType().toString());
					response.setContentLength(body.length);
					response.getOutputStream().write(body);
					response.flushBuffer();
					return null;
				}
			}
		}
		Optional<AnswerFiles.Opened> kept = this.files.open(library, format);
		try {
			this.exports.register(library.accountId(), request);
		}
		catch (RuntimeException ex) {
			if (kept.isPresent()) {
				kept.get().close();
			}
			throw ex;
		}
		if (kept.isPresent()) {
			AnswerFiles.Opened file = kept.get();
			return ResponseEntity.ok().contentType(format.mediaType()).contentLength(file.bytes()).body(file::copyTo);
		}
		StreamingResponseBody body = out -> this.files.writeThrough(library, format, out,
				sink -> format.write(library, this.reads, sink));
		return ResponseEntity.ok().contentType(format.mediaType()).body(body);
	}

	/**
	 * Encodes the JSON of the window and keeps it for the next read of the same version.
	 */
	private byte[] encode(OpenLibrary library) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.min(estimate(library), 1 << 24));
		this.json.write(library, this.reads, buffer);
		byte[] body = buffer.toByteArray();
		this.encoded.keep(library, body);
		return body;
	}

	private static long estimate(OpenLibrary library) {
		return library.items() * BYTES_PER_TRACK;
	}

}
