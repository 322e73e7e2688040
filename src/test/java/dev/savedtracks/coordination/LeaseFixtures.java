package dev.savedtracks.coordination;

import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Leases for tests of the code that writes under them. */
public final class LeaseFixtures {

	private LeaseFixtures() {
	}

	/**
	 * Leases whose renewals never run, as when a database blip stalls them: a holder
	 * keeps its lease for one time to live from acquiring it, and then another replica
	 * may take it over.
	 */
	public static Leases withoutRenewals(JdbcClient jdbc, Clock clock) {
		return new Leases(jdbc, clock, new StalledRenewals());
	}

	/** Accepts renewals and never runs them. */
	private static final class StalledRenewals extends ScheduledThreadPoolExecutor {

		StalledRenewals() {
			super(1, runnable -> {
				Thread thread = new Thread(runnable, "stalled-lease-renewal");
				thread.setDaemon(true);
				return thread;
			});
		}

		@Override
		public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
			return schedule(() -> {
			}, 365, TimeUnit.DAYS);
		}

	}

}
