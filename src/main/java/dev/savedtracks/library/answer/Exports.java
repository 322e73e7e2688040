package dev.savedtracks.library.answer;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.system.ProblemException;

/**
 * Where streamed answers (downloads: CSV, NDJSON, JSON above 10,000 tracks; and JSON
 * windows the answer memory cannot hold) are written: on an executor of
 * {@code LIBRARY_EXPORT_THREADS} threads, not on the server's request threads, downloads
 * at most {@code LIBRARY_EXPORTS_PER_ACCOUNT} at a time per person. A client that reads
 * slowly holds one of those threads and a chunk of rows, never a database connection.
 * <p>
 * Every streamed answer is admitted before its response starts: it takes one of as many
 * turns as there are threads, or is refused at once (503 {@code busy}, 429 for a person
 * beyond their share) while the response can still say so. Refusing later, when the
 * executor turns the task down, would come after the headers of the 200 (and the length
 * of a kept file) were set, and the client would see a connection closed mid-answer.
 */
@Component
class Exports implements WebMvcConfigurer {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	static final String EXECUTOR = "libraryExportExecutor";

	private final LibrarySettings settings;

	private final ThreadPoolTaskExecutor executor;

	private final AnswerFiles files;

	private final ConcurrentMap<String, AtomicInteger> running = new ConcurrentHashMap<>();

	/** One per export thread: a streamed answer holds one from admission to its end. */
	private final Semaphore turns;

	Exports(LibrarySettings settings, @Qualifier(EXECUTOR) ThreadPoolTaskExecutor executor, AnswerFiles files) {
		this.settings = settings;
		this.executor = executor;
		this.files = files;
		this.turns = new Semaphore(settings.exportThreads());
	}

	/**
	 * The {@code LIBRARY_EXPORT_THREADS} threads downloads are written on, as a Spring
	 * bean (lifecycle, and Boot's executor metrics). Answers are admitted by
	 * {@link #turns}, never queued behind a slow client; the queue only covers the
	 * instant between an answer giving back its turn and its thread being free again, so
	 * that the executor itself never turns an admitted answer down. It takes downloads
	 * until it is destroyed, as requests still being answered during a graceful shutdown
	 * may start one.
	 */
	@Bean(name = EXECUTOR, defaultCandidate = false)
	static ThreadPoolTaskExecutor libraryExportExecutor(LibrarySettings settings) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(settings.exportThreads());
		executor.setMaxPoolSize(settings.exportThreads());
		executor.setQueueCapacity(settings.exportThreads());
		executor.setThreadNamePrefix("library-export-");
		executor.setDaemon(true);
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	@Override
	public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
		configurer.setTaskExecutor(this.executor);
		configurer.setDefaultTimeout(this.settings.exportTimeout().toMillis());
	}

	/**
	 * The window of {@code library} as a download: the file {@link AnswerFiles} kept of
	 * the same version, copied, or the rows read in chunks as the client takes them (and
	 * kept when complete), written on an export thread once the controller returns it.
	 * @throws TooManyDownloads when the person already has their share running
	 * @throws ExportsBusy when every export thread is taken
	 */
	ResponseEntity<StreamingResponseBody> download(OpenLibrary library, SavedTracksFormat format, Rows rows,
			HttpServletRequest request) throws IOException {
		return stream(library, format, rows, request, true);
	}

	/**
	 * A JSON window the answer memory cannot hold right now, streamed like a download but
	 * not counted as one of the person's downloads: a plain read must never be refused as
	 * {@code too-many-downloads}.
	 * @throws ExportsBusy when every export thread is taken
	 */
	ResponseEntity<StreamingResponseBody> overflow(OpenLibrary library, SavedTracksFormat format, Rows rows,
			HttpServletRequest request) throws IOException {
		return stream(library, format, rows, request, false);
	}

	private ResponseEntity<StreamingResponseBody> stream(OpenLibrary library, SavedTracksFormat format, Rows rows,
			HttpServletRequest request, boolean isDownload) throws IOException {
		Runnable done = admit(library.accountId(), isDownload);
		Optional<AnswerFiles.Opened> kept;
		try {
			kept = this.files.open(library, format);
			WebAsyncUtils.getAsyncManager(request)
				.registerCallableInterceptor(Exports.class.getName(), new CallableProcessingInterceptor() {

					@Override
					public <T> void afterCompletion(NativeWebRequest webRequest, Callable<T> task) {
						done.run();
					}

				});
		}
		catch (RuntimeException ex) {
			done.run();
			throw ex;
		}
		if (kept.isPresent()) {
			AnswerFiles.Opened file = kept.get();
			return ResponseEntity.ok()
				.contentType(format.mediaType())
				.contentLength(file.bytes())
				.body(out -> runThenRelease(done, () -> file.copyTo(out)));
		}
		StreamingResponseBody body = out -> runThenRelease(done,
				() -> this.files.writeThrough(library, format, out, sink -> format.write(library, rows, sink)));
		return ResponseEntity.ok().contentType(format.mediaType()).body(body);
	}

	private static void runThenRelease(Runnable done, Writing body) throws IOException {
		try {
			body.run();
		}
		finally {
			done.run();
		}
	}

	/**
	 * Takes an export thread's turn (and, for a download, one of the person's), or
	 * refuses at once.
	 * @return what gives them back; safe to run more than once
	 */
	private Runnable admit(String accountId, boolean isDownload) {
		AtomicInteger count = null;
		if (isDownload) {
			AtomicInteger mine = this.running.computeIfAbsent(accountId, id -> new AtomicInteger());
			if (mine.incrementAndGet() > this.settings.exportsPerAccount()) {
				release(accountId, mine);
				throw new TooManyDownloads(this.settings.exportsPerAccount());
			}
			count = mine;
		}
		if (!this.turns.tryAcquire()) {
			if (count != null) {
				release(accountId, count);
			}
			throw new ExportsBusy();
		}
		AtomicInteger counted = count;
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				this.turns.release();
				if (counted != null) {
					release(accountId, counted);
				}
			}
		};
	}

	/** Export threads free to take a streamed answer now. */
	int freeTurns() {
		return this.turns.availablePermits();
	}

	private void release(String accountId, AtomicInteger count) {
		if (count.decrementAndGet() <= 0) {
			this.running.remove(accountId, count);
		}
	}

	/** Writing an answer's body. */
	@FunctionalInterface
	private interface Writing {

		void run() throws IOException;

	}

	/** Every export thread is writing an answer: try again shortly. */
	static class ExportsBusy extends ProblemException {

		ExportsBusy() {
			super(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too busy",
					"The service is writing as many downloads as it can right now. Try again in a few seconds.",
					"every export thread is taken", RETRY_AFTER, null);
		}

	}

	/** The person already has as many downloads running as allowed. */
	static class TooManyDownloads extends ProblemException {

		TooManyDownloads(int max) {
			super(HttpStatus.TOO_MANY_REQUESTS, "too-many-downloads", "Too many downloads at once",
					"You already have " + max + " downloads of your library running; wait for one to finish.",
					"too many downloads of one library", RETRY_AFTER, null);
		}

	}

}
