package dev.savedtracks.library.answer;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * Where streamed answers (downloads: CSV, NDJSON, and JSON the memory cannot hold) are
 * written: on an executor of {@code LIBRARY_EXPORT_THREADS} threads, not on the server's
 * request threads, at most {@code LIBRARY_EXPORTS_PER_ACCOUNT} at a time per person. A
 * client that reads slowly holds one of those threads and a chunk of rows, never a
 * database connection; when all are busy, a download is refused at once (503) rather than
 * queued behind them, and a person beyond their share gets 429.
 */
@Component
class Exports implements WebMvcConfigurer {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	static final String EXECUTOR = "libraryExportExecutor";

	private final LibrarySettings settings;

	private final ThreadPoolTaskExecutor executor;

	private final AnswerFiles files;

	private final ConcurrentMap<String, AtomicInteger> running = new ConcurrentHashMap<>();

	Exports(LibrarySettings settings, @Qualifier(EXECUTOR) ThreadPoolTaskExecutor executor, AnswerFiles files) {
		this.settings = settings;
		this.executor = executor;
		this.files = files;
	}

	/**
	 * The {@code LIBRARY_EXPORT_THREADS} threads downloads are written on, as a Spring
	 * bean (lifecycle, and Boot's executor metrics). No queue: a download waiting for a
	 * thread that a slow client holds could wait for as long as that client. It takes
	 * downloads until it is destroyed, as requests still being answered during a graceful
	 * shutdown may start one.
	 */
	@Bean(name = EXECUTOR, defaultCandidate = false)
	static ThreadPoolTaskExecutor libraryExportExecutor(LibrarySettings settings) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(settings.exportThreads());
		executor.setMaxPoolSize(settings.exportThreads());
		executor.setQueueCapacity(0);
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
	 */
	ResponseEntity<StreamingResponseBody> download(OpenLibrary library, SavedTracksFormat format, Rows rows,
			HttpServletRequest request) throws IOException {
		Optional<AnswerFiles.Opened> kept = this.files.open(library, format);
		try {
			register(library.accountId(), request);
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
				sink -> format.write(library, rows, sink));
		return ResponseEntity.ok().contentType(format.mediaType()).body(body);
	}

	/**
	 * Counts a download of this person until the request completes, however it completes.
	 * @throws TooManyDownloads when the person already has their share running
	 */
	private void register(String accountId, HttpServletRequest request) {
		AtomicInteger count = this.running.computeIfAbsent(accountId, id -> new AtomicInteger());
		if (count.incrementAndGet() > this.settings.exportsPerAccount()) {
			release(accountId, count);
			throw new TooManyDownloads(this.settings.exportsPerAccount());
		}
		AtomicBoolean released = new AtomicBoolean();
		WebAsyncUtils.getAsyncManager(request)
			.registerCallableInterceptor(Exports.class.getName(), new CallableProcessingInterceptor() {

				@Override
				public <T> void afterCompletion(NativeWebRequest webRequest, Callable<T> task) {
					if (released.compareAndSet(false, true)) {
						release(accountId, count);
					}
				}

			});
	}

	private void release(String accountId, AtomicInteger count) {
		if (count.decrementAndGet() <= 0) {
			this.running.remove(accountId, count);
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
