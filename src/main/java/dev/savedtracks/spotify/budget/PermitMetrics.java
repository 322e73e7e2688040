package dev.savedtracks.spotify.budget;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToIntFunction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.system.Sha256;

/**
 * What {@link FairRequestScheduler} reports: requests waiting per priority, how long they
 * waited, permits granted per account (under a digest of the Spotify id) and within the
 * last window.
 */
final class PermitMetrics {

	/** An account granted nothing for this long loses its grant counter. */
	static final Duration IDLE_ACCOUNT = Duration.ofHours(1);

	private final MeterRegistry meters;

	/**
	 * Grant counters of the accounts granted a permit lately: one time series per active
	 * person, not per person who ever signed in. A counter idle for {@link #IDLE_ACCOUNT}
	 * is removed from the registry too, as it leaves the cache: Prometheus sees the
	 * series end, and a replica that served millions of people over its life exports only
	 * those active now.
	 */
	private final Cache<String, Counter> grants;

	private final Map<Priority, Timer> waits = new ConcurrentHashMap<>();

	private final GrantsPerSecond recent = new GrantsPerSecond();

	PermitMetrics(MeterRegistry meters, Limiter limiter, ToIntFunction<Priority> queued) {
		this(meters, limiter, queued, Ticker.systemTicker());
	}

	PermitMetrics(MeterRegistry meters, Limiter limiter, ToIntFunction<Priority> queued, Ticker ticker) {
		this.meters = meters;
		this.grants = Caffeine.newBuilder()
			.expireAfterAccess(IDLE_ACCOUNT)
			.ticker(ticker)
			// Expired counters leave the registry on the thread that grants, not on a
			// pool.
			.executor(Runnable::run)
			.<String, Counter>evictionListener((account, counter, cause) -> meters.remove(counter))
			.build();
		for (Priority priority : Priority.values()) {
			Gauge.builder("spotify.budget.queue", () -> queued.applyAsInt(priority))
				.description("Spotify requests waiting for a permit of the request budget, by priority")
				.tag("priority", priority.name().toLowerCase(Locale.ROOT))
				.strongReference(true)
				.register(meters);
		}
		if (!limiter.unlimited()) {
			long windowSeconds = Math.max(1, limiter.window().toSeconds());
			Gauge.builder("spotify.budget.used", this.recent, recent -> recent.total(windowSeconds))
				.description("Permits this replica granted within the last budget window")
				.register(meters);
		}
	}

	/** {@code requester} was granted a permit after waiting {@code waitedNanos}. */
	void granted(Requester requester, long waitedNanos) {
		this.grants.get(requester.accountId(), this::grantCounter).increment();
		this.waits.computeIfAbsent(requester.priority(), this::waitTimer).record(waitedNanos, TimeUnit.NANOSECONDS);
		this.recent.add();
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

	/** Removes the grant counters that have been idle too long now. */
	void forgetIdleAccounts() {
		this.grants.cleanUp();
	}

	private Timer waitTimer(Priority priority) {
		return Timer.builder("spotify.budget.wait")
			.description("How long Spotify requests waited for a permit of the request budget")
			.tag("priority", priority.name().toLowerCase(Locale.ROOT))
			.register(this.meters);
	}

	static String digest(String accountId) {
		return HexFormat.of().formatHex(Sha256.digest(accountId), 0, 6);
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
				int slot = Math.floorMod(second, SLOTS);
				if (this.seconds.get(slot) == second) {
					sum += this.counts.get(slot);
				}
			}
			return sum;
		}

	}

}
