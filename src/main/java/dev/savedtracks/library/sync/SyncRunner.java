package dev.savedtracks.library.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.coordination.OncePerKey;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

/**
 * Runs syncs: once per library on this replica and across replicas ({@link OncePerKey}),
 * started on the sync executor ({@code LIBRARY_MAX_CONCURRENT_SYNCS} threads, the rest
 * queue), so that a caller only ever waits for a sync, for a bounded time, and a sync the
 * caller stopped waiting for still completes for the next one. A thread only starts a
 * sync (its lease, the cached head); the sync's pipeline then waits for permits of the
 * request budget without holding it, so a person's first sync starts within moments
 * however many long syncs run. A sync's Spotify requests are interactive when a request
 * started it or waits for it, and background otherwise (warm-up), which is how the
 * request budget knows whom to serve first. Background syncs start on threads of their
 * own, a few at once, so they never hold up a sync someone waits for. Every sync ends in
 * a {@link SyncOutcome}; a failed one is remembered by {@link SyncFailures}.
 */
@Component
public class SyncRunner {

	private final OncePerKey once;

	private final SyncPipeline pipeline;

	private final LibraryReader reader;

	private final SyncFailures failures;

	private final SyncProgress progress;

	private final LibrarySettings settings;

	private final MeterRegistry meters;

	private final ThreadPoolTaskExecutor executor;

	private final ThreadPoolTaskExecutor background;

	/** Background syncs running on this replica. */
	private final AtomicInteger backgroundRunning = new AtomicInteger();

	/**
	 * Turns to wait for a sync, all libraries together
	 * ({@code LIBRARY_MAX_WAITERS_TOTAL}).
	 */
	private final Semaphore waitingTurns;

	/** Requests waiting for each library's sync on this replica. */
	private final ConcurrentMap<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

	SyncRunner(OncePerKey once, SyncPipeline pipeline, LibraryReader reader, SyncFailures failures,
			SyncProgress progress, LibrarySettings settings, MeterRegistry meters,
			@Qualifier(SyncExecutors.SYNCS) ThreadPoolTaskExecutor executor,
			@Qualifier(SyncExecutors.BACKGROUND_SYNCS) ThreadPoolTaskExecutor background) {
		this.once = once;
		this.pipeline = pipeline;
		this.reader = reader;
		this.failures = failures;
		this.progress = progress;
		this.settings = settings;
		this.meters = meters;
		this.executor = executor;
		this.background = background;
		this.waitingTurns = new Semaphore(settings.maxWaitersTotal());
		Gauge.builder("library.syncs.active", this.once, OncePerKey::runningCount)
			.description("Library syncs running or queued in this replica")
			.register(meters);
	}

	/**
	 * Starts the sync of this library, or joins the one running on this replica, and
	 * waits for it, at most {@code LIBRARY_SYNC_WAIT} and as one of at most
	 * {@code LIBRARY_MAX_WAITERS} for this library and {@code LIBRARY_MAX_WAITERS_TOTAL}
	 * for all. It revalidates (or, with {@code full}, reconciles) the library unless a
	 * sync on any replica confirmed it since the caller read it: like a sync this replica
	 * was running already, which the caller joins, such a sync answers it.
	 * @param seen when the copy the caller decided on was last checked
	 * ({@link Head#checkedAt()}; {@code null}: nothing cached, or never checked)
	 * @return how it ended; {@link SyncOutcome.InProgress} when it takes longer (it goes
	 * on)
	 */
	public SyncOutcome sync(String accountId, boolean full, @Nullable Instant seen) {
		// Counted before the sync starts: meanwhile its Spotify requests are interactive.
		AtomicInteger waiters = this.waiting.computeIfAbsent(accountId, id -> new AtomicInteger());
		waiters.incrementAndGet();
		try {
			OncePerKey.Terms terms = new OncePerKey.Terms(this.settings.syncLease(), this.settings.syncWait());
			OncePerKey.Run<SyncOutcome> run = this.once.startAsync(key(accountId), this.executor, terms,
					() -> checkedSince(accountId, seen),
					lease -> lease.map(held -> run(accountId, full, seen, held, Priority.INTERACTIVE))
						.orElseGet(() -> CompletableFuture.completedFuture(syncedElsewhere(accountId))));
			if (run.isDone()) {
				return run.await(this.settings.syncWait(), this.settings.maxWaitersPerLibrary());
			}
			if (!this.waitingTurns.tryAcquire()) {
				// As many requests wait as may: answered at once, the sync goes on.
				return new SyncOutcome.InProgress();
			}
			try {
				return run.await(this.settings.syncWait(), this.settings.maxWaitersPerLibrary());
			}
			finally {
				this.waitingTurns.release();
			}
		}
		catch (TimeoutException ex) {
			return new SyncOutcome.InProgress();
		}
		catch (RuntimeException ex) {
			// The run could not start (no thread free), or another replica kept the
			// lease.
			return SyncOutcome.of(ex);
		}
		finally {
			this.waiting.computeIfPresent(accountId, (id, count) -> (count.decrementAndGet() <= 0) ? null : count);
		}
	}

	/**
	 * Starts a background revalidation of this library unless one runs or another replica
	 * holds its lease (then it is skipped, not waited for), or the background threads are
	 * all busy. Another replica's sync that confirms the library meanwhile answers it.
	 * @return the run, or empty when it was not started
	 */
	Optional<OncePerKey.Run<SyncOutcome>> startBackground(String accountId) {
		if (isRunning(accountId)) {
			return Optional.empty();
		}
		Instant seen = this.reader.head(accountId).map(Head::checkedAt).orElse(null);
		if (this.backgroundRunning.incrementAndGet() > SyncExecutors.BACKGROUND_SYNCS_AT_ONCE) {
			this.backgroundRunning.decrementAndGet();
			return Optional.empty();
		}
		OncePerKey.Terms terms = new OncePerKey.Terms(this.settings.syncLease(), Duration.ZERO);
		OncePerKey.Run<SyncOutcome> run = this.once.startAsync(key(accountId), this.background, terms,
				() -> checkedSince(accountId, seen),
				lease -> lease.map(held -> run(accountId, false, seen, held, Priority.BACKGROUND))
					.orElseGet(() -> CompletableFuture.completedFuture(syncedElsewhere(accountId))));
		run.whenDone((outcome, error) -> this.backgroundRunning.decrementAndGet());
		return Optional.of(run);
	}

	/** Whether a sync of this library is running on this replica. */
	public boolean isRunning(String accountId) {
		return this.once.isRunning(key(accountId));
	}

	/** The failure of a library with no copy yet, while its sync backs off. */
	public SyncOutcome.@Nullable Unsynced coldFailure(String accountId) {
		return this.failures.coldFailure(accountId);
	}

	/**
	 * The sync itself, as a stage: this thread reads what is cached and starts the
	 * pipeline, which then holds no thread while it waits for permits of the request
	 * budget (its database work runs on the bounded-elastic scheduler).
	 */
	private CompletableFuture<SyncOutcome> run(String accountId, boolean full, @Nullable Instant seen, Lease lease,
			Priority origin) {
		Head cached = this.reader.head(accountId).orElse(null);
		if (!full && cached != null && checkedSince(cached, seen)) {
			return CompletableFuture.completedFuture(new SyncOutcome.Synced(cached, SyncOutcome.Change.NONE));
		}
		Timer.Sample sample = Timer.start(this.meters);
		SyncProgress.Tracker tracker = this.progress.start(accountId);
		return this.pipeline.pipeline(accountId, cached, full, lease, tracker, new SyncRequester(accountId, origin))
			// What follows is database work: never on the HTTP client's event loop.
			.publishOn(Schedulers.boundedElastic())
			.doFinally(signal -> this.progress.finish(accountId, tracker))
			.map(outcome -> finished(accountId, cached, sample, outcome))
			.toFuture();
	}

	private SyncOutcome finished(String accountId, @Nullable Head cached, Timer.Sample sample, SyncOutcome outcome) {
		sample.stop(Timer.builder("library.sync")
			.description("Syncs of a library with Spotify, by outcome")
			.tag("outcome",
					(outcome instanceof SyncOutcome.Synced synced) ? synced.change().name().toLowerCase(Locale.ROOT)
							: "failed")
			.register(this.meters));
		if (outcome instanceof SyncOutcome.Synced) {
			this.failures.succeeded(accountId);
		}
		else if (outcome instanceof SyncOutcome.Unsynced unsynced && !(outcome instanceof SyncOutcome.InProgress)) {
			// In progress: another replica took the library over, and records its own
			// outcome.
			this.failures.failed(accountId, cached, unsynced);
		}
		return outcome;
	}

	/** Another replica synced the library while this one waited for its lease. */
	private SyncOutcome syncedElsewhere(String accountId) {
		return this.reader.head(accountId)
			.<SyncOutcome>map(head -> new SyncOutcome.Synced(head, SyncOutcome.Change.NONE))
			.orElseGet(
					() -> new SyncOutcome.Failed(LibraryUnavailable.syncFailed("another replica's sync left no copy")));
	}

	private boolean checkedSince(String accountId, @Nullable Instant seen) {
		return this.reader.head(accountId).map(head -> checkedSince(head, seen)).orElse(false);
	}

	/**
	 * Whether a sync confirmed the library after the caller read it checked at
	 * {@code seen}. Syncs of a library run one at a time and each dates its check by its
	 * first request to Spotify, after the previous one finished, so a later check is
	 * another sync's. (Compared with the time the caller asked, a sync that was running
	 * already then, and is dated before, would not count across replicas, though it does
	 * on this one, where the caller joins it.)
	 */
	private static boolean checkedSince(Head head, @Nullable Instant seen) {
		Instant checked = head.checkedAt();
		return checked != null && (seen == null || checked.isAfter(seen));
	}

	private static String key(String accountId) {
		return "library-sync:" + accountId;
	}

	/** Whether a request waits for this library's sync on this replica. */
	private boolean awaited(String accountId) {
		AtomicInteger count = this.waiting.get(accountId);
		return count != null && count.get() > 0;
	}

	/**
	 * A sync's requester: interactive when a request started it (whether that request
	 * still waits or not: it may wait on another replica, which this one cannot see), and
	 * a background sync becomes interactive while a request on this replica waits for it.
	 */
	private final class SyncRequester implements Requester {

		private final String accountId;

		private final Priority origin;

		SyncRequester(String accountId, Priority origin) {
			this.accountId = accountId;
			this.origin = origin;
		}

		@Override
		public String accountId() {
			return this.accountId;
		}

		@Override
		public Priority priority() {
			return (this.origin == Priority.INTERACTIVE || awaited(this.accountId)) ? Priority.INTERACTIVE
					: Priority.BACKGROUND;
		}

	}

}
