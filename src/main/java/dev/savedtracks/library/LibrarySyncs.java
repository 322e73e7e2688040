package dev.savedtracks.library;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.coordination.Leases.LeaseLost;
import dev.savedtracks.coordination.Leases.LeaseUnavailable;
import dev.savedtracks.coordination.OncePerKey;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyFailure;

/**
 * Runs syncs: once per library on this replica and across replicas ({@link OncePerKey}),
 * on an executor of {@code LIBRARY_MAX_CONCURRENT_SYNCS} threads (the rest queue), so
 * that a caller only ever waits for a sync, for a bounded time, and a sync the caller
 * stopped waiting for still completes for the next one. A sync's Spotify requests are
 * interactive when a request started it or waits for it, and background otherwise
 * (warm-up), which is how the request budget knows whom to serve first. Background syncs
 * run on threads of their own, so they never hold up a sync someone waits for. A failed
 * sync is recorded with its reason and backs off (exponentially, with jitter) before the
 * next attempt; a library that was never synced remembers its failure in memory for as
 * long.
 */
@Component
class LibrarySyncs implements DisposableBean {

	private static final Log logger = LogFactory.getLog(LibrarySyncs.class);

	/**
	 * Background syncs running at once on one replica; they use only budget that
	 * interactive work leaves idle.
	 */
	static final int BACKGROUND_SYNCS = 2;

	private final OncePerKey once;

	private final LibrarySync sync;

	private final LibraryHeads heads;

	private final SyncProgress progress;

	private final LibrarySettings settings;

	private final Clock clock;

	private final MeterRegistry meters;

	private final ThreadPoolExecutor executor;

	private final ThreadPoolExecutor background;

	/** Requests waiting for each library's sync on this replica. */
	private final java.util.concurrent.ConcurrentMap<String, AtomicInteger> waiting = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * Failures of libraries with no copy yet (so no row to record them in), until their
	 * retry time.
	 */
	private final Cache<String, ColdFailure> coldFailures;

	LibrarySyncs(OncePerKey once, LibrarySync sync, LibraryHeads heads, SyncProgress progress, LibrarySettings settings,
			Clock clock, MeterRegistry meters) {
		this.once = once;
		this.sync = sync;
		this.heads = heads;
		this.progress = progress;
		this.settings = settings;
		this.clock = clock;
		this.meters = meters;
		AtomicInteger threads = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(settings.maxConcurrentSyncs(), settings.maxConcurrentSyncs(), 60,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), runnable -> {
					Thread thread = new Thread(runnable, "library-sync-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
		AtomicInteger backgroundThreads = new AtomicInteger();
		this.background = new ThreadPoolExecutor(BACKGROUND_SYNCS, BACKGROUND_SYNCS, 60, TimeUnit.SECONDS,
				new java.util.concurrent.SynchronousQueue<>(), runnable -> {
					Thread thread = new Thread(runnable, "library-warm-up-" + backgroundThreads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.background.allowCoreThreadTimeOut(true);
		this.coldFailures = Caffeine.newBuilder().expireAfterWrite(settings.maxFailureBackoff()).build();
		Gauge.builder("library.syncs.active", this.once, OncePerKey::runningCount)
			.description("Library syncs running or queued in this replica")
			.register(meters);
	}

	/**
	 * The sync of this library: the one running on this replica, or a new one. It
	 * revalidates (or, with {@code full}, reconciles) the library unless another replica
	 * did so after {@code asked}.
	 */
	OncePerKey.Run<Head> start(String accountId, boolean full, Instant asked) {
		OncePerKey.Terms terms = new OncePerKey.Terms(this.settings.syncLease(), this.settings.syncWait());
		return this.once.start("library-sync:" + accountId, this.executor, terms, () -> checkedSince(accountId, asked),
				lease -> lease.map(held -> run(accountId, full, asked, held, Priority.INTERACTIVE))
					.orElseGet(() -> this.heads.find(accountId)
						.orElseThrow(() -> LibraryUnavailable.syncFailed("another replica's sync left no copy"))));
	}

	/**
	 * Starts a background revalidation of this library unless one runs or another replica
	 * holds its lease (then it is skipped, not waited for), or the background threads are
	 * all busy.
	 * @return the run, or empty when it was not started
	 */
	Optional<OncePerKey.Run<Head>> startBackground(String accountId, Instant asked) {
		if (this.background.getActiveCount() >= BACKGROUND_SYNCS || isRunning(accountId)) {
			return Optional.empty();
		}
		OncePerKey.Terms terms = new OncePerKey.Terms(this.settings.syncLease(), Duration.ZERO);
		return Optional.of(this.once.start("library-sync:" + accountId, this.background, terms,
				() -> checkedSince(accountId, asked),
				lease -> lease.map(held -> run(accountId, false, asked, held, Priority.BACKGROUND))
					.orElseGet(() -> this.heads.find(accountId)
						.orElseThrow(() -> LibraryUnavailable.syncFailed("another replica's sync left no copy")))));
	}

	/**
	 * Marks a request as waiting for this library's sync until the returned handle is
	 * closed: meanwhile the sync's Spotify requests are interactive. Take it before
	 * starting or joining the sync.
	 */
	Waiter waiting(String accountId) {
		this.waiting.computeIfAbsent(accountId, id -> new AtomicInteger()).incrementAndGet();
		return () -> this.waiting.computeIfPresent(accountId,
				(id, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

	/** Whether a request waits for this library's sync on this replica. */
	boolean awaited(String accountId) {
		AtomicInteger count = this.waiting.get(accountId);
		return count != null && count.get() > 0;
	}

	/** Whether a sync of this library is running on this replica. */
	boolean isRunning(String accountId) {
		return this.once.isRunning("library-sync:" + accountId);
	}

	/** The failure of a library with no copy yet, while its sync backs off. */
	Optional<RuntimeException> coldFailure(String accountId) {
		ColdFailure failure = this.coldFailures.getIfPresent(accountId);
		return (failure != null && this.clock.instant().isBefore(failure.retryAt())) ? Optional.of(failure.error())
				: Optional.empty();
	}

	private Head run(String accountId, boolean full, Instant asked, Lease lease, Priority origin) {
		Head cached = this.heads.find(accountId).orElse(null);
		if (!full && cached != null && checked(cached, asked)) {
			return cached;
		}
		Timer.Sample sample = Timer.start(this.meters);
		String outcome = "failed";
		SyncProgress.Tracker tracker = this.progress.start(accountId);
		try {
			LibrarySync.Result result = this.sync.synchronise(accountId, cached, full, lease, tracker,
					new SyncRequester(accountId, origin));
			outcome = result.outcome().name().toLowerCase(Locale.ROOT);
			this.coldFailures.invalidate(accountId);
			return result.head();
		}
		catch (LeaseLost ex) {
			// Another replica owns this library now; it records its own outcome.
			throw LibraryUnavailable.syncInProgress();
		}
		catch (RuntimeException ex) {
			recordFailure(accountId, cached, ex);
			throw ex;
		}
		finally {
			this.progress.finish(accountId, tracker);
			sample.stop(Timer.builder("library.sync")
				.description("Syncs of a library with Spotify, by outcome")
				.tag("outcome", outcome)
				.register(this.meters));
		}
	}

	private void recordFailure(String accountId, @Nullable Head cached, RuntimeException failure) {
		StaleReason reason = reason(failure);
		int failures = ((cached != null) ? cached.failures() : failures(accountId)) + 1;
		Instant retryAt = (reason == StaleReason.REAUTHORIZATION_REQUIRED) ? null : retryAt(failure, failures);
		if (failure instanceof FullSyncsExhausted exhausted) {
			// Checked again once per freshness window (one request: tracks added on top
			// are still taken in), not
			// on every read, until the day's full syncs are renewed.
			Instant nextCheck = this.clock.instant().plus(this.settings.freshness());
			retryAt = exhausted.retryAt().isBefore(nextCheck) ? exhausted.retryAt() : nextCheck;
			logger.info("A library's full syncs of the day are used up until " + exhausted.retryAt()
					+ "; its copy is served, checked again at " + retryAt);
		}
		else {
			logger.warn("Sync of a library failed (" + reason.slug() + ", attempt " + failures + "): "
					+ failure.getMessage());
		}
		if (cached == null) {
			this.coldFailures.put(accountId,
					new ColdFailure(failure,
							(retryAt != null) ? retryAt : this.clock.instant().plus(this.settings.maxFailureBackoff()),
							failures));
			return;
		}
		try {
			this.heads.failed(accountId, reason, retryAt, String.valueOf(failure.getMessage()));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the failed sync of a library: " + ex.getMessage());
		}
	}

	private int failures(String accountId) {
		ColdFailure failure = this.coldFailures.getIfPresent(accountId);
		return (failure != null) ? failure.failures() : 0;
	}

	/** Capped exponential backoff with jitter, never before Spotify's own pause ends. */
	private Instant retryAt(RuntimeException failure, int failures) {
		Duration base = this.settings.failureBackoff();
		Duration backoff = Duration.ZERO;
		if (!base.isZero()) {
			long factor = 1L << Math.min(failures - 1, 16);
			Duration exponential = base.multipliedBy(factor);
			Duration capped = (exponential.compareTo(this.settings.maxFailureBackoff()) > 0)
					? this.settings.maxFailureBackoff() : exponential;
			backoff = capped.minus(capped.multipliedBy(ThreadLocalRandom.current().nextInt(25)).dividedBy(100));
		}
		if (failure instanceof SpotifyFailure spotify && spotify.retryAfter() != null
				&& spotify.retryAfter().compareTo(backoff) > 0) {
			backoff = spotify.retryAfter();
		}
		return this.clock.instant().plus(backoff).truncatedTo(ChronoUnit.MILLIS);
	}

	/** Why a sync failed, as a caller is told it. */
	static StaleReason reason(Throwable failure) {
		if (failure instanceof SyncFailure own) {
			return own.staleReason();
		}
		if (failure instanceof SpotifyFailure spotify) {
			return switch (spotify.kind()) {
				case UNAVAILABLE -> StaleReason.SPOTIFY_UNAVAILABLE;
				case RATE_LIMITED -> StaleReason.SPOTIFY_RATE_LIMITED;
				case QUOTA_EXCEEDED -> StaleReason.SPOTIFY_QUOTA_EXCEEDED;
				case ACCESS_DENIED -> StaleReason.SPOTIFY_ACCESS_DENIED;
				case OWNER_PREMIUM_REQUIRED -> StaleReason.SPOTIFY_OWNER_PREMIUM_LAPSED;
			};
		}
		if (failure instanceof ReauthorizationRequired) {
			return StaleReason.REAUTHORIZATION_REQUIRED;
		}
		// Another replica holds the library's sync.
		if (failure instanceof LeaseUnavailable) {
			return StaleReason.SYNC_IN_PROGRESS;
		}
		return StaleReason.SYNC_FAILED;
	}

	private boolean checkedSince(String accountId, Instant asked) {
		return this.heads.find(accountId).map(head -> checked(head, asked)).orElse(false);
	}

	/** Whether a sync that finished after this request arrived already answered it. */
	private static boolean checked(Head head, Instant asked) {
		Instant checked = head.checkedAt();
		return checked != null && !checked.isBefore(asked.truncatedTo(ChronoUnit.MILLIS));
	}

	/** A person signed in again: a failure only they could end is over. */
	@EventListener
	void signedIn(AccountDirectory.SignedIn signedIn) {
		this.coldFailures.invalidate(signedIn.accountId());
		try {
			this.heads.clearFailure(signedIn.accountId(), StaleReason.REAUTHORIZATION_REQUIRED);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not clear a library's sign-in failure: " + ex.getMessage());
		}
	}

	@EventListener
	void deleted(AccountDirectory.AccountDeleted deleted) {
		this.coldFailures.invalidate(deleted.accountId());
	}

	/**
	 * Stops syncs at shutdown; one interrupted leaves the previous complete copy in
	 * place.
	 */
	@Override
	public void destroy() {
		this.background.shutdownNow();
		this.executor.shutdownNow();
	}

	/** A request's wait for a sync; closing it ends the wait. */
	@FunctionalInterface
	interface Waiter extends AutoCloseable {

		@Override
		void close();

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

	private record ColdFailure(RuntimeException error, Instant retryAt, int failures) {
	}

}
