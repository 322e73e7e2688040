package dev.savedtracks.spotify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.savedtracks.system.Sha256;

/**
 * Grants the permits of the app-wide request budget ({@link SharedRequestBudget}) fairly:
 * one request per account in turn (round-robin over the accounts that have requests
 * waiting), interactive work always before background work, so that a person with 50
 * tracks who just signed in is served between the pages of three 10,000-track syncs
 * instead of after them. One dispatcher thread per replica grants permits as the budget
 * refills; with an unlimited budget nothing is queued at all.
 */
@Component
class FairRequestScheduler implements DisposableBean {

	private static final Log logger = LogFactory.getLog(FairRequestScheduler.class);

	/**
	 * The longest the dispatcher sleeps before looking again (new, more urgent work wakes
	 * it earlier).
	 */
	private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/** An account granted nothing for this long loses its grant counter. */
	private static final Duration IDLE_ACCOUNT = Duration.ofHours(1);

	/** How often idle accounts' counters are looked for. */
	private static final Duration IDLE_SWEEP_EVERY = Duration.ofMinutes(5);

	private final Permits budget;

	private final MeterRegistry meters;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	/** Waiting requests per account; the iteration order is the round-robin turn. */
	private final Map<String, ArrayDeque<Waiting>> waiting = new LinkedHashMap<>();

	/**
	 * Grant counters of the accounts granted a permit lately: one time series per active
	 * person, not per person who ever signed in.
	 */
	private final Map<String, Grants> grants = new ConcurrentHashMap<>();

	private final AtomicLong lastIdleSweep = new AtomicLong(System.nanoTime());

	private final Map<Priority, Timer> waits = new ConcurrentHashMap<>();

	private final GrantsPerSecond recent = new GrantsPerSecond();

	private @Nullable Thread dispatcher;

	private volatile boolean stopped;

	FairRequestScheduler(Permits budget, MeterRegistry meters) {
		this.budget = budget;
		this.meters = meters;
		for (Priority priority : Priority.values()) {
			Gauge.builder("spotify.budget.queue", this, scheduler -> scheduler.queued(priority))
				.description("Spotify requests waiting for a permit of the request budget, by priority")
				.tag("priority", priority.name().toLowerCase(java.util.Locale.ROOT))
				.register(meters);
		}
		if (!budget.unlimited()) {
			Gauge.builder("spotify.budget.used", this, scheduler -> scheduler.recent.total(scheduler.windowSeconds()))
				.description("Permits this replica granted within the last budget window")
				.register(meters);
		}
	}

	/**
	 * Completes when {@code requester} may make one request. Cancelling gives the place
	 * up.
	 */
	Mono<Void> permit(Requester requester) {
		if (this.budget.unlimited()) {
			return Mono.fromRunnable(() -> granted(requester, 0));
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
				long wait = this.budget.tryTake(next.requester().priority());
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
		granted(entry.requester(), System.nanoTime() - entry.since());
		entry.sink().success();
	}

	private void granted(Requester requester, long waitedNanos) {
		long now = System.nanoTime();
		this.grants.computeIfAbsent(requester.accountId(), id -> new Grants(grantCounter(id))).granted(now);
		long last = this.lastIdleSweep.get();
		if (now - last > IDLE_SWEEP_EVERY.toNanos() && this.lastIdleSweep.compareAndSet(last, now)) {
			forgetIdleAccounts(IDLE_ACCOUNT, now);
		}
		this.waits.computeIfAbsent(requester.priority(), this::waitTimer).record(waitedNanos, TimeUnit.NANOSECONDS);
		this.recent.add();
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

	private long windowSeconds() {
		return Math.max(1, this.budget.window().toSeconds());
	}

	/**
	 * Grants by account, for fairness dashboards. The tag is a short digest of the
	 * Spotify id, not the id itself: metrics leave the service, people's identities
	 * should not.
	 */
	private Counter grantCounter(String accountId) {
		return Counter.builder("spotify.budget.grants")
			.description("Permits of the request budget granted, by account (a digest of the Spotify id)")
			.tag("account", digest(accountId))
			.register(this.meters);
	}

	/**
	 * Removes the grant counters of accounts granted nothing within {@code idle}, from
	 * the registry too: Prometheus sees the series end, and a replica that served
	 * millions of people over its life exports only those active now.
	 */
	void forgetIdleAccounts(Duration idle, long nowNanos) {
		for (Iterator<Grants> entries = this.grants.values().iterator(); entries.hasNext();) {
			Grants entry = entries.next();
			if (nowNanos - entry.lastGrant() >= idle.toNanos()) {
				entries.remove();
				this.meters.remove(entry.counter());
			}
		}
	}

	/** One account's grant counter and when it last counted. */
	private static final class Grants {

		private final Counter counter;

		private volatile long lastGrant;

		Grants(Counter counter) {
			this.counter = counter;
		}

		void granted(long nowNanos) {
			this.lastGrant = nowNanos;
			this.counter.increment();
		}

		Counter counter() {
			return this.counter;
		}

		long lastGrant() {
			return this.lastGrant;
		}

	}

	private Timer waitTimer(Priority priority) {
		return Timer.builder("spotify.budget.wait")
			.description("How long Spotify requests waited for a permit of the request budget")
			.tag("priority", priority.name().toLowerCase(java.util.Locale.ROOT))
			.register(this.meters);
	}

	static String digest(String accountId) {
		return HexFormat.of().formatHex(Sha256.digest(accountId), 0, 6);
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

	/** Permits granted per second over the last hour, for the budget-in-use gauge. */
	private static final class GrantsPerSecond {

		private static final int SLOTS = 3600;

		private final AtomicLongArray counts = new AtomicLongArray(SLOTS);

		private final AtomicLongArray seconds = new AtomicLongArray(SLOTS);

		void add() {
			long second = System.nanoTime() / 1_000_000_000L;
			int slot = (int) (second % SLOTS);
			if (this.seconds.getAndSet(slot, second) != second) {
				this.counts.set(slot, 0);
			}
			this.counts.incrementAndGet(slot);
		}

		long total(long lastSeconds) {
			long now = System.nanoTime() / 1_000_000_000L;
			long sum = 0;
			for (long second = now - Math.min(lastSeconds, SLOTS) + 1; second <= now; second++) {
				int slot = (int) (Math.floorMod(second, SLOTS));
				if (this.seconds.get(slot) == second) {
					sum += this.counts.get(slot);
				}
			}
			return sum;
		}

	}

}
