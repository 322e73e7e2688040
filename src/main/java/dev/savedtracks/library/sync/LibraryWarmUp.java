package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
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
 * skipped). Every replica runs it, on the application's scheduler, which stops it at
 * shutdown; with {@code LIBRARY_WARM_UP=false} there is no warm-up at all.
 */
@Component
@ConditionalOnBooleanProperty(name = "library.warm-up", matchIfMissing = true)
class LibraryWarmUp {

	private static final Log logger = LogFactory.getLog(LibraryWarmUp.class);

	private static final long TICK_MILLIS = 2000;

	private final LibraryReader heads;

	private final SyncRunner syncs;

	private final LibrarySettings settings;

	private final Clock clock;

	private final MeterRegistry meters;

	LibraryWarmUp(LibraryReader heads, SyncRunner syncs, LibrarySettings settings, Clock clock, MeterRegistry meters) {
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
			this.syncs.startBackground(accountId)
				.ifPresent(run -> run.whenDone((outcome, failure) -> count(outcome(outcome, failure, now))));
		}
	}

	private static String outcome(@Nullable SyncOutcome outcome, @Nullable Throwable failure, Instant asked) {
		if (failure != null || !(outcome instanceof SyncOutcome.Synced synced)) {
			return "failed";
		}
		Instant checked = synced.head().checkedAt();
		// Checked is stored to the millisecond, and dated by the first page's request,
		// which may come within the millisecond the run was asked for.
		return (checked != null && !checked.isBefore(asked.truncatedTo(ChronoUnit.MILLIS))) ? "revalidated" : "skipped";
	}

	private void count(String outcome) {
		Counter.builder("library.warmup.revalidations")
			.description("Background revalidations of libraries in use, by outcome")
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	/** A round every two seconds, on the application's scheduler. */
	@Scheduled(fixedDelay = TICK_MILLIS, initialDelay = TICK_MILLIS)
	void tick() {
		try {
			revalidateDue();
		}
		catch (RuntimeException ex) {
			logger.warn("Warm-up round failed: " + ex.getMessage());
		}
	}

}
