package dev.savedtracks.spotify.budget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records when limiters grant their permits while threads take them as fast as they can,
 * and checks that no rolling window ever held more than the budget: the proof of the
 * limiter's promise, on one replica or on several sharing one database.
 */
final class GrantChecker {

	private final List<Long> grants;

	private GrantChecker(List<Long> grants) {
		this.grants = grants;
	}

	/**
	 * Takes permits from {@code limiters} for {@code duration}, with {@code threads}
	 * threads on each.
	 */
	static GrantChecker run(Duration duration, int threads, Limiter... limiters) throws Exception {
		List<Long> grants = Collections.synchronizedList(new ArrayList<>());
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(threads * limiters.length);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (Limiter limiter : limiters) {
				for (int i = 0; i < threads; i++) {
					running.add(pool.submit(() -> {
						while (System.nanoTime() < end) {
							long wait = limiter.tryTake(0);
							if (wait == 0) {
								grants.add(System.nanoTime());
							}
							else {
								LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(5)));
							}
						}
					}));
				}
			}
			for (Future<?> each : running) {
				each.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<Long> sorted = new ArrayList<>(grants);
		Collections.sort(sorted);
		return new GrantChecker(sorted);
	}

	int grants() {
		return this.grants.size();
	}

	/** The most grants that any rolling window of {@code window} held. */
	int busiestWindow(Duration window) {
		int most = 0;
		int first = 0;
		for (int last = 0; last < this.grants.size(); last++) {
			while (this.grants.get(last) - this.grants.get(first) >= window.toNanos()) {
				first++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

	void assertNoWindowHoldsMoreThan(int budget, Duration window) {
		assertThat(busiestWindow(window)).as("grants within the busiest rolling window of " + window)
			.isLessThanOrEqualTo(budget);
	}

}
