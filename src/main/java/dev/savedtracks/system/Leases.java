package dev.savedtracks.system;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Named, expiring leases in the shared database: how replicas agree that only one of them syncs a library or
 * redeems a refresh token at a time. A holder renews its lease while it works; a replica that dies stops renewing,
 * so its lease lapses after the time to live and another replica takes over. Works on H2 and PostgreSQL alike, and
 * holds no connection while the work runs.
 */
@Component
public class Leases {

	private static final Log logger = LogFactory.getLog(Leases.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final String replica = UUID.randomUUID().toString().substring(0, 8);

	private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "lease-renewal");
		thread.setDaemon(true);
		return thread;
	});

	Leases(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** This replica's identity in the lease table. */
	public String replica() {
		return this.replica;
	}

	/** Takes the lease if it is free or lapsed; the lease renews itself until closed. */
	public Optional<Lease> tryAcquire(String name, Duration ttl) {
		String holder = this.replica + "/" + UUID.randomUUID();
		Instant now = this.clock.instant();
		int taken = this.jdbc.sql("update lease set holder = ?, expires_at = ? where name = ? and expires_at < ?")
			.params(holder, Timestamp.from(now.plus(ttl)), name, Timestamp.from(now))
			.update();
		if (taken == 0) {
			try {
				this.jdbc.sql("insert into lease (name, holder, expires_at) values (?, ?, ?)")
					.params(name, holder, Timestamp.from(now.plus(ttl)))
					.update();
			}
			catch (DuplicateKeyException held) {
				return Optional.empty();
			}
		}
		return Optional.of(new Lease(name, holder, ttl));
	}

	/**
	 * Waits for the lease, polling, until {@code done} says the work no longer needs doing (another holder did it)
	 * or {@code maxWait} has passed.
	 * @return the lease, or empty when {@code done} became true first
	 * @throws LeaseUnavailable when neither happened in time
	 */
	public Optional<Lease> acquire(String name, Duration ttl, Duration maxWait, BooleanSupplier done) {
		Instant deadline = this.clock.instant().plus(maxWait);
		long pause = 20;
		while (true) {
			if (done.getAsBoolean()) {
				return Optional.empty();
			}
			Optional<Lease> lease = tryAcquire(name, ttl);
			if (lease.isPresent()) {
				return lease;
			}
			if (this.clock.instant().isAfter(deadline)) {
				throw new LeaseUnavailable(name);
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LeaseUnavailable(name);
			}
			pause = Math.min(pause * 2, 250);
		}
	}

	/** A held lease; closing it releases it. */
	public final class Lease implements AutoCloseable {

		private final String name;

		private final String holder;

		private final ScheduledFuture<?> renewal;

		private Lease(String name, String holder, Duration ttl) {
			this.name = name;
			this.holder = holder;
			long period = Math.max(ttl.toMillis() / 3, 10);
			this.renewal = Leases.this.renewals.scheduleAtFixedRate(() -> renew(ttl), period, period,
					TimeUnit.MILLISECONDS);
		}

		private void renew(Duration ttl) {
			try {
				Leases.this.jdbc.sql("update lease set expires_at = ? where name = ? and holder = ?")
					.params(Timestamp.from(Leases.this.clock.instant().plus(ttl)), this.name, this.holder)
					.update();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not renew lease " + this.name + ": " + ex.getMessage());
			}
		}

		@Override
		public void close() {
			this.renewal.cancel(false);
			try {
				Leases.this.jdbc.sql("delete from lease where name = ? and holder = ?")
					.params(this.name, this.holder)
					.update();
			}
			catch (RuntimeException ex) {
				// It lapses by itself; another replica waits at most one time to live.
				logger.warn("Could not release lease " + this.name + ": " + ex.getMessage());
			}
		}

	}

	/** The lease stayed taken for longer than the caller could wait. */
	public static class LeaseUnavailable extends RuntimeException {

		LeaseUnavailable(String name) {
			super("lease " + name + " is held by another replica");
		}

	}

}
