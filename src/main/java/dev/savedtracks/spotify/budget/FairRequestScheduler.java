package dev.savedtracks.spotify.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyUnavailable;
import dev.savedtracks.spotify.budget.Turns.Waiting;

/**
 * Grants the permits of the {@link Limiter} fairly, in {@link Turns}: a person with 50
 * tracks who just signed in is served between the pages of three 10,000-track syncs
 * instead of after them. A permit at hand, with nobody waiting, is granted on the asking
 * thread; otherwise by runs of the {@code spotifyPermitDispatcher} (one thread per
 * replica) when a request arrives and when the next permit is due. With an unlimited
 * budget nothing waits at all.
 */
@Component
class FairRequestScheduler implements DisposableBean {

	private static final Log logger = LogFactory.getLog(FairRequestScheduler.class);

	/**
	 * The longest the dispatcher waits before looking again (a request arriving runs it
	 * earlier).
	 */
	private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final Limiter limiter;

	private final TaskScheduler dispatcher;

	private final PermitMetrics metrics;

	private final ReentrantLock lock = new ReentrantLock();

	private final Turns turns = new Turns();

	/** Who had how many permits lately: who is a newcomer. Under the lock. */
	private final RecentGrants recent;

	/** The next run of {@link #dispatch()}, until it starts; under the lock. */
	private @Nullable ScheduledFuture<?> nextRun;

	/** When {@link #nextRun} is due, in {@link System#nanoTime()}; under the lock. */
	private long nextRunAt;

	private volatile boolean stopped;

	FairRequestScheduler(Limiter limiter, @Qualifier("spotifyPermitDispatcher") TaskScheduler dispatcher,
			MeterRegistry meters) {
		this.limiter = limiter;
		this.dispatcher = dispatcher;
		this.metrics = new PermitMetrics(meters, limiter, this::queued);
		this.recent = new RecentGrants(limiter.unlimited() ? 0 : limiter.window().toNanos());
	}

	/**
	 * Completes when {@code requester} may make one request. Cancelling gives the place
	 * up.
	 */
	Mono<Void> permit(Requester requester) {
		if (this.limiter.unlimited()) {
			return Mono.fromRunnable(() -> this.metrics.granted(requester, 0));
		}
		return Mono.defer(() -> grantedAtOnce(requester) ? Mono.<Void>empty() : queuedPermit(requester));
	}

	/**
	 * Takes a permit for {@code requester} on the caller's thread when nobody waits for
	 * one (so nobody's turn is taken) and the limiter answers without blocking: a sync's
	 * next page then goes out from the thread that delivered the answer before it,
	 * without a run of the dispatcher in between. Otherwise (or when the window has no
	 * permit now) the request waits in {@link Turns} as usual.
	 */
	private boolean grantedAtOnce(Requester requester) {
		if (this.limiter.blocks()) {
			return false;
		}
		this.lock.lock();
		try {
			if (this.stopped || this.turns.first() != null) {
				return false;
			}
			if (this.limiter.tryTake(headroom(requester, this.limiter.reserve())) != 0) {
				return false;
			}
			this.recent.granted(requester.accountId(), System.nanoTime());
		}
		finally {
			this.lock.unlock();
		}
		this.metrics.granted(requester, 0);
		return true;
	}

	private Mono<Void> queuedPermit(Requester requester) {
		return Mono.create(sink -> {
			Waiting entry = new Waiting(requester, sink, System.nanoTime());
			enqueue(entry);
			sink.onCancel(() -> underLock(() -> this.turns.remove(entry)));
		});
	}

	/** Requests waiting for a permit now, of the given priority. */
	int queued(Priority priority) {
		return locked(() -> this.turns.queued(priority));
	}

	private void enqueue(Waiting entry) {
		this.lock.lock();
		try {
			if (this.stopped) {
				entry.sink().error(new SpotifyUnavailable("the service is shutting down", null));
				return;
			}
			this.turns.add(entry);
			dispatchWithin(0);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** How soon the others are tried again after the budget failed for one request. */
	private static final long RETRY_AFTER_FAILURE_NANOS = Duration.ofSeconds(1).toNanos();

	/**
	 * Grants permits while the limiter has them, each to whoever is first in turn; then
	 * runs again when the next permit is due (or {@link #MAX_WAIT_NANOS} later at most),
	 * or as soon as a request arrives.
	 */
	private void dispatch() {
		// Started: a request arriving from now on asks for another run.
		underLock(() -> this.nextRun = null);
		Waiting next = null;
		try {
			while (!this.stopped) {
				next = next();
				if (next == null) {
					return;
				}
				int reserve = this.limiter.reserve();
				int headroom = headroom(next.requester(), reserve);
				long wait = this.limiter.tryTake(headroom);
				if (wait > 0 && headroom > 0) {
					// The window's reserve is left: a newcomer waiting behind may take
					// it.
					Waiting newcomer = newcomer(reserve);
					if (newcomer != null && this.limiter.tryTake(0) == 0) {
						next = newcomer;
						wait = 0;
					}
				}
				if (wait > 0) {
					long due = wait;
					underLock(() -> dispatchWithin(Math.min(due, MAX_WAIT_NANOS)));
					return;
				}
				grant(next);
			}
		}
		catch (RuntimeException ex) {
			// The shared budget is out of reach (the database): fail the request it was
			// asked for rather than guess a budget, and try again for the others a
			// moment later (each gives up at its own deadline), so that one database
			// error does not fail every request waiting on this replica.
			logger.warn("The Spotify request budget is unavailable: " + ex.getMessage());
			if (next != null) {
				Waiting failed = next;
				underLock(() -> this.turns.remove(failed));
				failed.sink().error(new SpotifyUnavailable("the request budget is unavailable", ex));
			}
			underLock(() -> dispatchWithin(RETRY_AFTER_FAILURE_NANOS));
		}
	}

	/**
	 * The permits {@code requester} must leave in the window: the newcomers' reserve for
	 * background work and for an account that had as many permits lately, else none.
	 */
	private int headroom(Requester requester, int reserve) {
		if (reserve == 0) {
			return 0;
		}
		if (requester.priority() == Priority.BACKGROUND) {
			return reserve;
		}
		return locked(() -> (this.recent.count(requester.accountId(), System.nanoTime()) >= reserve) ? reserve : 0);
	}

	/**
	 * The first newcomer in turn (interactive, with fewer permits lately than the
	 * reserve).
	 */
	private @Nullable Waiting newcomer(int reserve) {
		long now = System.nanoTime();
		return locked(() -> this.turns.first(entry -> entry.requester().priority() == Priority.INTERACTIVE
				&& this.recent.count(entry.requester().accountId(), now) < reserve));
	}

	/**
	 * Makes sure {@link #dispatch()} runs within {@code nanos}: a run due by then stands,
	 * a later one is brought forward. Under the lock.
	 */
	private void dispatchWithin(long nanos) {
		long at = System.nanoTime() + nanos;
		if (this.stopped || (this.nextRun != null && this.nextRunAt - at <= 0)) {
			return;
		}
		if (this.nextRun != null) {
			this.nextRun.cancel(false);
		}
		this.nextRunAt = at;
		this.nextRun = this.dispatcher.schedule(this::dispatch, Instant.now().plusNanos(nanos));
	}

	private @Nullable Waiting next() {
		return locked(this.turns::first);
	}

	/**
	 * Hands the permit just taken for {@code chosen} to whoever {@link Turns#stillFirst}
	 * says, and moves that account to the end of the turn.
	 */
	private void grant(Waiting chosen) {
		Waiting entry;
		this.lock.lock();
		try {
			entry = this.turns.stillFirst(chosen);
			this.turns.granted(entry);
			this.recent.granted(entry.requester().accountId(), System.nanoTime());
		}
		finally {
			this.lock.unlock();
		}
		this.metrics.granted(entry.requester(), System.nanoTime() - entry.since());
		entry.sink().success();
	}

	private void failAll(RuntimeException failure) {
		List<Waiting> failed = locked(this.turns::removeAll);
		failed.forEach(entry -> entry.sink().error(failure));
	}

	private void underLock(Runnable action) {
		locked(() -> {
			action.run();
			return null;
		});
	}

	private <T> T locked(Supplier<T> action) {
		this.lock.lock();
		try {
			return action.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stops granting at shutdown; whatever still waits fails, as a sync interrupted by
	 * shutdown does.
	 */
	@Override
	public void destroy() {
		this.lock.lock();
		try {
			this.stopped = true;
			if (this.nextRun != null) {
				this.nextRun.cancel(false);
				this.nextRun = null;
			}
		}
		finally {
			this.lock.unlock();
		}
		failAll(new SpotifyUnavailable("the service is shutting down", null));
	}

}
