package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.Semaphore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.store.LibraryReader;

/**
 * Answers held in memory: JSON windows of up to {@value #IN_MEMORY_MAX_ITEMS} tracks (a
 * whole library of 10,000 is about 5 MB) are written whole on the request thread, with a
 * {@code Content-Length}, while the answer memory ({@code LIBRARY_ANSWER_MEMORY}, a
 * quarter of the heap by default) holds them, until their client has taken them all; the
 * rest is handed to {@link Exports} as a download, and what the memory cannot hold is
 * streamed there too (without counting as one of the person's downloads). Encoded answers
 * of recently read windows are kept ({@code LIBRARY_RESPONSE_CACHE_SIZE}, the least used
 * go first), so that reading an unchanged library again is a copy of bytes. An encoded
 * answer is kept under its {@link AnswerKey}, the exact version of the library it was
 * read from, so it can never outlive its content, on this replica or another.
 */
@Component
public class SavedTracksAnswers {

	/** JSON windows up to this size may be held in memory. */
	static final int IN_MEMORY_MAX_ITEMS = 10_000;

	/**
	 * A generous estimate of one track's JSON, for the answer memory: about 900 bytes
	 * with every field a development-mode app gets (album artists, disc and track
	 * numbers...), and the buffer is sized by it so that it never grows while encoding.
	 */
	private static final long BYTES_PER_TRACK = 1_100;

	private static final String JSON = "json";

	private final JsonTracks json;

	private final LibraryReader reader;

	private final Exports exports;

	private final @Nullable Cache<AnswerKey, byte[]> encoded;

	/** The answer memory left, in kilobytes, so that an int covers any heap. */
	private final Semaphore memory;

	SavedTracksAnswers(JsonTracks json, LibraryReader reader, Exports exports, LibrarySettings settings) {
		this.json = json;
		this.reader = reader;
		this.exports = exports;
		long cache = settings.responseCache().toBytes();
		this.encoded = (cache > 0) ? Caffeine.newBuilder()
			.maximumWeight(cache)
			.<AnswerKey, byte[]>weigher((key, answer) -> answer.length)
			.build() : null;
		long memory = settings.answerMemory().toBytes();
		// 0: a quarter of the heap; the rest is for the encoded answers kept, chunks
		// being streamed and everything else.
		this.memory = new Semaphore(kilobytes((memory > 0) ? memory : Runtime.getRuntime().maxMemory() / 4));
	}

	/**
	 * Answers with the window of {@code library}: a JSON window the answer memory can
	 * hold is written to {@code response} at once ({@code null} is returned); anything
	 * else is returned as a download to be streamed.
	 */
	public @Nullable ResponseEntity<StreamingResponseBody> answer(OpenLibrary library, SavedTracksFormat format,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		Rows rows = Rows.of(this.reader, library);
		boolean window = format == this.json && library.items() <= IN_MEMORY_MAX_ITEMS;
		if (window) {
			byte[] kept = find(library);
			// Encoding holds the buffer and the answer copied out of it at once.
			int wanted = kilobytes((kept != null) ? kept.length : 2 * library.items() * BYTES_PER_TRACK);
			if (this.memory.tryAcquire(wanted)) {
				try {
					byte[] body = (kept != null) ? kept : encode(library, rows);
					response.setContentType(format.mediaType().toString());
					response.setContentLength(body.length);
					response.getOutputStream().write(body);
					response.flushBuffer();
					return null;
				}
				finally {
					this.memory.release(wanted);
				}
			}
		}
		// A JSON window the memory cannot hold now is streamed, but is no download.
		return window ? this.exports.overflow(library, format, rows, request)
				: this.exports.download(library, format, rows, request);
	}

	/**
	 * Encodes the JSON of the window and keeps it for the next read of the same version.
	 */
	private byte[] encode(OpenLibrary library, Rows rows) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream(
				(int) Math.min(library.items() * BYTES_PER_TRACK, 1 << 24));
		this.json.write(library, rows, buffer);
		byte[] body = buffer.toByteArray();
		if (this.encoded != null) {
			this.encoded.put(AnswerKey.of(library, JSON), body);
		}
		return body;
	}

	/** The encoded answer kept for exactly this window of this version, if any. */
	@Nullable byte[] find(OpenLibrary library) {
		return (this.encoded != null) ? this.encoded.getIfPresent(AnswerKey.of(library, JSON)) : null;
	}

	/**
	 * Drops a person's answers as soon as their data is deleted, rather than leaving them
	 * to age out.
	 */
	@TransactionalEventListener(fallbackExecution = true)
	void forget(AccountDirectory.AccountDeleted deleted) {
		if (this.encoded != null) {
			this.encoded.asMap().keySet().removeIf(key -> key.accountId().equals(deleted.accountId()));
		}
	}

	/** At least one: the smallest share of the answer memory. */
	private static int kilobytes(long bytes) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (bytes + 1023) / 1024));
	}

}
