package dev.savedtracks.library.answer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;

/**
 * Large streamed answers kept on this replica's disk, so that the next read of the same
 * library version is a file copy instead of a database read and a re-encoding: a whole
 * library of 100,000 tracks (about 70 MB of JSON) is then served at disk and network
 * speed, with no database connection and a fixed 64 KB buffer of heap.
 * <p>
 * An answer is written to a file as it is streamed to its first client (never delaying
 * it) and kept only when it was complete; a download cut short, or a copy replaced
 * mid-way, leaves nothing. Files are kept under their {@link AnswerKey}, the exact
 * version they were read from, so one can never be served after the library changed, on
 * any replica. Bounded by {@code LIBRARY_ANSWER_FILES_SIZE}, the least used deleted
 * first; a person's files are deleted with their data on this replica at once, and on the
 * others by a sweep every minute that drops the files of libraries that are gone or have
 * moved on. Each replica has a private directory ({@link AnswerDirectory}), emptied and
 * removed at shutdown, and removed at the next start-up when the replica died without
 * one. The files hold what the database holds (track listings, never a token).
 */
@Component
public class AnswerFiles implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(AnswerFiles.class);

	private static final int BUFFER = 64 * 1024;

	private final AnswerFilesSettings settings;

	private final LibraryReader heads;

	private final @Nullable AnswerDirectory directory;

	private final @Nullable Cache<AnswerKey, Stored> files;

	private final @Nullable WritingBudget writing;

	private final AtomicLong names = new AtomicLong();

	/**
	 * When each recently deleted person's data was deleted (nanoTime), for a day: after a
	 * day nothing started before the deletion can still be running.
	 */
	private final Cache<String, Long> deletedAt = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).build();

	AnswerFiles(AnswerFilesSettings settings, LibraryReader heads) throws IOException {
		this.settings = settings;
		this.heads = heads;
		if (!settings.enabled()) {
			this.directory = null;
			this.files = null;
			this.writing = null;
			return;
		}
		Path parent = (settings.directory() != null && !settings.directory().toString().isEmpty())
				? settings.directory() : Path.of(System.getProperty("java.io.tmpdir"));
		this.directory = AnswerDirectory.create(parent);
		this.files = Caffeine.newBuilder()
			.maximumWeight(settings.size().toBytes())
			.<AnswerKey, Stored>weigher((key, stored) -> (int) Math.min(Integer.MAX_VALUE, stored.bytes()))
			// On the thread that removes, so that deleting a person's data deletes their
			// files before it returns.
			.executor(Runnable::run)
			.<AnswerKey, Stored>removalListener((key, stored, cause) -> {
				if (stored != null && cause != RemovalCause.REPLACED) {
					delete(stored.path());
				}
			})
			.build();
		this.writing = new WritingBudget(settings.size().toBytes(), this.files.policy().eviction().orElseThrow());
	}

	/**
	 * The kept answer of this window, opened (so that it stays readable even if it is
	 * evicted meanwhile), or empty.
	 */
	Optional<Opened> open(OpenLibrary library, SavedTracksFormat format) {
		AnswerKey key = keyOf(library, format);
		if (this.files == null || key == null) {
			return Optional.empty();
		}
		Stored stored = this.files.getIfPresent(key);
		if (stored == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(new Opened(FileChannel.open(stored.path(), StandardOpenOption.READ), stored.bytes()));
		}
		catch (NoSuchFileException ex) {
			this.files.invalidate(key);
			return Optional.empty();
		}
		catch (IOException ex) {
			log.warn("Could not open a kept answer, reading from the database: {}", ex.toString());
			return Optional.empty();
		}
	}

	/**
	 * Writes the answer through {@code writer} to {@code out} and, when the window is
	 * large enough and the answer completes, keeps a copy for the next read of the same
	 * version. A failure to keep the copy never fails the answer.
	 */
	void writeThrough(OpenLibrary library, SavedTracksFormat format, OutputStream out, AnswerWriter writer)
			throws IOException {
		if (this.files == null || this.directory == null || this.writing == null || keyOf(library, format) == null) {
			writer.write(out);
			return;
		}
		long started = System.nanoTime();
		Path written = this.directory.path().resolve("answer-" + this.names.incrementAndGet());
		OutputStream file;
		try {
			file = this.writing.limit(new BufferedOutputStream(
					Files.newOutputStream(written, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER));
		}
		catch (IOException ex) {
			log.warn("Could not keep an answer on disk: {}", ex.toString());
			writer.write(out);
			return;
		}
		Tee tee = new Tee(out, file);
		boolean complete = false;
		try {
			writer.write(tee);
			complete = true;
		}
		finally {
			tee.closeCopy();
			if (!complete || tee.copyFailed()) {
				delete(written);
			}
		}
		keep(library, format, written, tee.written(), started);
	}

	/**
	 * Keeps the complete answer in {@code written} (gone when it was not complete),
	 * unless the person's data was deleted since it started.
	 */
	private void keep(OpenLibrary library, SavedTracksFormat format, Path written, long bytes, long started) {
		Long deleted = this.deletedAt.getIfPresent(library.accountId());
		if (this.files == null || !Files.exists(written) || deleted != null && deleted - started >= 0) {
			delete(written);
			return;
		}
		AnswerKey key = keyOf(library, format);
		if (key == null) {
			delete(written);
			return;
		}
		// Older versions of this person's library are never served again.
		this.files.asMap()
			.keySet()
			.removeIf(other -> other.accountId().equals(key.accountId())
					&& (other.epoch() != key.epoch() || other.version() < key.version()));
		Stored previous = this.files.asMap().putIfAbsent(key, new Stored(written, bytes));
		if (previous != null) {
			delete(written);
		}
	}

	/**
	 * The key of the window's kept answer, or {@code null} when it is not kept: only
	 * whole libraries of at least {@code minItems} tracks are, under one key whatever
	 * {@code limit} covered them (the bytes do not depend on it). Windows are rarely
	 * asked twice alike, and keeping each would let one caller varying {@code limit} or
	 * {@code offset} push everyone's kept answers out.
	 */
	private @Nullable AnswerKey keyOf(OpenLibrary library, SavedTracksFormat format) {
		boolean whole = library.window().offset() == 0 && library.items() == library.head().total();
		if (!whole || library.items() < this.settings.minItems()) {
			return null;
		}
		return AnswerKey.of(library, format).wholeLibrary();
	}

	/** Deletes a person's files as soon as their data is deleted. */
	@TransactionalEventListener(fallbackExecution = true)
	void forget(AccountDirectory.AccountDeleted deleted) {
		if (this.files == null) {
			return;
		}
		long now = System.nanoTime();
		// A download started before the deletion keeps nothing.
		this.deletedAt.put(deleted.accountId(), now);
		this.files.asMap().keySet().removeIf(key -> key.accountId().equals(deleted.accountId()));
	}

	/**
	 * Drops the files of libraries that were deleted or changed through another replica,
	 * so that no file outlives its content for long on any replica.
	 */
	@Scheduled(fixedDelayString = "${library.answer-files.sweep:60s}",
			initialDelayString = "${library.answer-files.sweep:60s}")
	void sweep() {
		if (this.files == null) {
			return;
		}
		// One query per person, however many of their answers are kept.
		Map<String, Optional<Head>> current = new HashMap<>();
		this.files.asMap()
			.keySet()
			.removeIf(key -> current.computeIfAbsent(key.accountId(), this.heads::head)
				.map(head -> !key.readFrom(head))
				.orElse(true));
	}

	/** The bytes kept on disk now. */
	long bytes() {
		return (this.files != null) ? this.files.asMap().values().stream().mapToLong(Stored::bytes).sum() : 0;
	}

	@Override
	public void destroy() {
		if (this.files != null) {
			this.files.invalidateAll();
		}
		if (this.directory != null) {
			this.directory.close();
		}
	}

	private static void delete(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			log.warn("Could not delete {}: {}", path, ex.toString());
		}
	}

	/** Writes an answer's body. */
	@FunctionalInterface
	interface AnswerWriter {

		void write(OutputStream out) throws IOException;

	}

	private record Stored(Path path, long bytes) {
	}

	/**
	 * A kept answer, open for reading: its bytes are readable until closed, whatever
	 * happens to the file.
	 */
	record Opened(FileChannel channel, long bytes) implements AutoCloseable {

		/** Copies the whole answer to {@code out} and closes the file. */
		void copyTo(OutputStream out) throws IOException {
			try (FileChannel file = this.channel; InputStream in = Channels.newInputStream(file)) {
				byte[] buffer = new byte[BUFFER];
				for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
					out.write(buffer, 0, n);
				}
			}
		}

		@Override
		public void close() throws IOException {
			this.channel.close();
		}

	}

}
