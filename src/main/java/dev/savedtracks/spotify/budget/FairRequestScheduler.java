package dev.savedtracks.spotify.budget;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyUnavailable;

/**
 * Grants the permits of the {@link Limiter} fairly: one request per account in turn
 * (round-robin over the accounts that have requests waiting), interactive work always
 * before background work, so that a person with 50 tracks who just signed in is served
 * between the pages of three 10,000-track syncs instead of after them. One dispatcher
 * thread per replica grants permits as the budget refills; with an unlimited budget
 * nothing is queued at all.
 */
@Component
class FairRequestScheduler implements DisposableBean {

	private static final Log logger = LogFactory.getLog(FairRequestScheduler.class);

	/**
	 * The longest the dispatcher sleeps before looking again (new, more urgent work wakes
	 * it earlier).
	 */
	private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final Limiter limiter;

	private final PermitMetrics metrics;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	/** Waiting requests per account; the iteration order is the round-robin turn. */
	private final Map<String, ArrayDeque<Waiting>> waiting = new LinkedHashMap<>();

	private @Nullable Thread dispatcher;

	private volatile boolean stopped;

	FairRequestScheduler(Limiter limiter, MeterRegistry meters) {
		this.limiter = limiter;
		this.metrics = new PermitMetrics(meters, limiter, this::queued);
	}

	/**
	 * Completes when {@code requester} may make one request. Cancelling gives the place
	 * up.
	 */
	Mono<Void> permit(Requester requester) {
		if (this.limiter.unlimited()) {
			return Mono.fromRunnable(() -> this.metrics.granted(requester, 0));
		}
		return Mono.create(sink -> {
			Waiting entry = new Waiting(requester, sink, System.nanoTime());
			enqueue(entry);
			sink.onCancel(() -> remove(entry));
		});
	}

	/**
	 * Requests waiting for a permit now, of the given priority (as their requesters say
	 * at this moment).
	 */
	int queued(Priority priority) {
		this.lock.lock();
		try {
			int count = 0;
			for (ArrayDeque<Waiting> queue : this.waiting.values()) {
				if (!queue.isEmpty() && queue.peekFirst().requester().priority() == priority) {
					count += queue.size();
				}
			}
			return count;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void enqueue(Waiting entry) {
		this.lock.lock();
		try {
			if (this.stopped) {
				entry.sink().error(new SpotifyUnavailable("the service is shutting down", null));
				return;
			}
			this.waiting.computeIfAbsent(entry.requester().accountId(), account -> new ArrayDeque<>()).addLast(entry);
			if (this.dispatcher == null) {
				Thread thread = new Thread(this::dispatch, "spotify-request-budget");
				thread.setDaemon(true);
				this.dispatcher = thread;
				thread.start();
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void remove(Waiting entry) {
		this.lock.lock();
		try {
			ArrayDeque<Waiting> queue = this.waiting.get(entry.requester().accountId());
			if (queue != null && queue.remove(entry) && queue.isEmpty()) {
				this.waiting.remove(entry.requester().accountId());
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void dispatch() {
		while (!this.stopped) {
			try {
				Waiting next = awaitNext();
				if (next == null) {
					continue;
				}
				long wait = this.limiter.tryTake(next.requester().priority());
				if (wait == 0) {
					grant(stillFirst(next));
				}
				else {
					sleep(Math.min(wait, MAX_SLEEP_NANOS));
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// The shared budget is out of reach (the database): fail what waits
				// rather than guess a budget.
				logger.warn("The Spotify request budget is unavailable: " + ex.getMessage());
				failAll(new SpotifyUnavailable("the request budget is unavailable", ex));
				try {
					sleep(TimeUnit.SECONDS.toNanos(1));
				}
				catch (InterruptedException stop) {
					return;
				}
			}
		}
	}

	/** The next request to serve ({@link #first()}), once there is one. */
	private @Nullable Waiting awaitNext() throws InterruptedException {
		this.lock.lock();
		try {
			while (this.waiting.isEmpty() && !this.stopped) {
				this.changed.await();
			}
			return first();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Who gets the permit just taken for {@code chosen}: {@code chosen}, unless
	 * interactive work arrived while the permit was taken for background work, or
	 * {@code chosen} gave up its place meanwhile. A permit taken for background work
	 * serves interactive work too (background work only gets what interactive work
	 * leaves).
	 */
	private Waiting stillFirst(Waiting chosen) {
		this.lock.lock();
		try {
			Waiting now = first();
			if (now == null || now == chosen) {
				return chosen;
			}
			ArrayDeque<Waiting> queue = this.waiting.get(chosen.requester().accountId());
			boolean queued = queue != null && queue.contains(chosen);
			boolean overtaken = now.requester().priority() == Priority.INTERACTIVE
					&& chosen.requester().priority() != Priority.INTERACTIVE;
			return (!queued || overtaken) ? now : chosen;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The first account in turn with interactive work, else the first with any. */
	private @Nullable Waiting first() {
		Waiting background = null;
		for (ArrayDeque<Waiting> queue : this.waiting.values()) {
			Waiting first = queue.peekFirst();
			if (first == null) {
				continue;
			}
			if (first.requester().priority() == Priority.INTERACTIVE) {
				return first;
			}
			if (background == null) {
				background = first;
			}
		}
		return background;
	}

	/** Hands the permit to {@code entry} and moves its account to the end of the turn. */
	private void grant(Waiting entry) {
		String account = entry.requester().accountId();
		this.lock.lock();
		try {
			ArrayDeque<Waiting> queue = this.waiting.remove(account);
			if (queue != null) {
				queue.remove(entry);
				if (!queue.isEmpty()) {
					this.waiting.put(account, queue);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		this.metrics.granted(entry.requester(), System.nanoTime() - entry.since());
		entry.sink().success();
	}

	private void sleep(long nanos) throws InterruptedException {
		this.lock.lock();
		try {
			this.changed.awaitNanos(nanos);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void failAll(RuntimeException failure) {
		List<Waiting> failed = new ArrayList<>();
		this.lock.lock();
		try {
			for (Iterator<ArrayDeque<Waiting>> queues = this.waiting.values().iterator(); queues.hasNext();) {
				failed.addAll(queues.next());
				queues.remove();
			}
		}
		finally {
			this.lock.unlock();
		}
		failed.forEach(entry -> entry.sink().error(failure));
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
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		Thread thread = this.dispatcher;
		if (thread != null) {
			thread.interrupt();
		}
		failAll(new SpotifyUnavailable("the service is shutting down", null));
	}

	/** A request waiting for its permit. */
	private record Waiting(Requester requester, MonoSink<Void> sink, long since) {
	}

}
