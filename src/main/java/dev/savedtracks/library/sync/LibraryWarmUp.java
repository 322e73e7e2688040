package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.store.LibraryReader;

/**
 * Keeps the libraries people use warm: every few seconds it revalidates, in the
 * background, the libraries read within {@code LIBRARY_WARM_UP_READ_WITHIN} whose
 * freshness runs out within {@code LIBRARY_WARM_UP_LEAD}, so that callers almost always
 * get a fresh copy without waiting on Spotify. Its requests are background work for the
 * request budget (only what interactive work leaves idle), at most
 * {@value SyncExecutors#BACKGROUND_THREADS} syncs at a time per replica, each under the
 * library's lease (one replica per library; a library another replica is syncing is
 * skipped). Every replica runs it; it stops at shutdown. {@code LIBRARY_WARM_UP=false}
 * turns it off.
 */
@Component
public class LibraryWarmUp implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LibraryWarmUp.class);

	private static final Duration TICK = Duration.ofSeconds(2);

	private final LibraryReader heads;

	private final SyncRunner syncs;

	private final LibrarySettings settings;

	private final Clock clock;

	private final MeterRegistry meters;

	private volatile ScheduledExecutorService ticker;

	public LibraryWarmUp(LibraryReader heads, SyncRunner syncs, LibrarySettings settings, Clock clock,
			MeterRegistry meters) {
		this.heads = heads;
		this.syncs = syncs;
		this.settings = settings;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * One round: starts the background revalidations that are due and that the background
	 * threads can take.
	 */
	void revalidateDue() {
		Instant now = this.clock.instant();
		Duration lead = this.settings.warmUpLead().compareTo(this.settings.freshness()) > 0 ? this.settings.freshness()
				: this.settings.warmUpLead();
		Instant checkedBefore = now.minus(this.settings.freshness()).plus(lead);
		List<String> due = this.heads.dueForWarmUp(now.minus(this.settings.warmUpReadWithin()), checkedBefore, now,
				SyncExecutors.BACKGROUND_THREADS * 2);
		for (String accountId : due) {
			this.syncs.startBackground(accountId, now)
				.ifPresent(run -> run.whenDone((outcome, failure) -> count(outcome(outcome, failure, now))));
		}
	}

	private static String outcome(@Nullable SyncOutcome outcome, @Nullable Throwable failure, Instant asked) {
		if (failure != null || !(outcome instanceof SyncOutcome.Synced synced)) {
			return "failed";
		}
		Instant checked = synced.head().checkedAt();
		return (checked != null && !checked.isBefore(asked)) ? "revalidated" : "skipped";
	}

	private void count(String outcome) {
		Counter.builder("library.warmup.revalidations")
			.description("Background revalidations of libraries in use, by outcome")
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	private void tick() {
		try {
			revalidateDue();
		}
		catch (RuntimeException ex) {
			logger.warn("Warm-up round failed: " + ex.getMessage());
		}
	}

	@Override
	public void start() {
		if (!this.settings.warmUp()) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "library-warm-up");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
		this.ticker = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.ticker;
		if (executor != null) {
			executor.shutdownNow();
			this.ticker = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.ticker != null;
	}

	@Override
	public String toString() {
		return "LibraryWarmUp(" + this.settings.warmUpLead().toString().toLowerCase(Locale.ROOT) + " ahead)";
	}

}
