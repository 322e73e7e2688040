package dev.savedtracks.coordination;

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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Named, expiring, fenced leases in the shared database: how replicas agree that only one
 * of them syncs a library or redeems a refresh token at a time. A holder renews its lease
 * while it works; a replica that dies stops renewing, so its lease lapses after the time
 * to live and another replica takes over. A holder whose renewals failed (a database
 * blip) may still be working when that happens: every write made under a lease therefore
 * calls {@link Lease#guard()} in its own transaction first, which locks the lease row and
 * fails unless the lease is still this holder's. Works on H2 and PostgreSQL alike, and
 * holds no connection while the work runs.
 */
@Component
public class Leases {

	private static final Log logger = LogFactory.getLog(Leases.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ScheduledExecutorService renewals;

	private final String replica = UUID.randomUUID().toString().substring(0, 8);

	@Autowired
	Leases(JdbcClient jdbc, Clock clock) {
		this(jdbc, clock, Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "lease-renewal");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * With the executor that renews held leases: a test can hand in one that never runs,
	 * as in a database blip.
	 */
	Leases(JdbcClient jdbc, Clock clock, ScheduledExecutorService renewals) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.renewals = renewals;
	}

	/** This replica's identity in the lease table. */
	public String replica() {
		return this.replica;
	}

	/** Takes the lease if it is free or lapsed; the lease renews itself until closed. */
	public Optional<Lease> tryAcquire(String name, Duration ttl) {
		String holder = this.replica + "/" + UUID.randomUUID();
		Instant now = this.clock.instant();
		int taken = this.jdbc
			.sql("update lease set holder = ?, expires_at = ?, fence = fence + 1 where name = ? and expires_at < ?")
			.params(holder, Timestamp.from(now.plus(ttl)), name, Timestamp.from(now))
			.update();
		if (taken == 0) {
			try {
				this.jdbc.sql("insert into lease (name, holder, expires_at, fence) values (?, ?, ?, 1)")
					.params(name, holder, Timestamp.from(now.plus(ttl)))
					.update();
			}
			catch (DuplicateKeyException held) {
				return Optional.empty();
			}
		}
		return Optional.of(new Lease(name, holder, ttl, now));
	}

	/**
	 * Takes the lease, or waits for it, polling, until {@code done} says the work no
	 * longer needs doing (the holder did it) or {@code maxWait} has passed. {@code done}
	 * is asked only while another holder has the lease: one who gets it checks for itself
	 * (the work may have been finished just before).
	 * @return the lease, or empty when {@code done} became true first
	 * @throws LeaseUnavailable when neither happened in time
	 */
	public Optional<Lease> acquire(String name, Duration ttl, Duration maxWait, BooleanSupplier done) {
		Instant deadline = this.clock.instant().plus(maxWait);
		long pause = 20;
		while (true) {
			Optional<Lease> lease = tryAcquire(name, ttl);
			if (lease.isPresent()) {
				return lease;
			}
			if (done.getAsBoolean()) {
				return Optional.empty();
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

		private final Duration ttl;

		private final ScheduledFuture<?> renewal;

		/**
		 * Until when this holder knows the lease is its own: moved on by every successful
		 * renewal.
		 */
		private volatile Instant heldUntil;

		private volatile boolean lost;

		private Lease(String name, String holder, Duration ttl, Instant acquiredAt) {
			this.name = name;
			this.holder = holder;
			this.ttl = ttl;
			this.heldUntil = acquiredAt.plus(ttl);
			long period = Math.max(ttl.toMillis() / 3, 10);
			this.renewal = Leases.this.renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
		}

		/** The lease's name. */
		public String name() {
			return this.name;
		}

		/**
		 * Whether this holder may still act on the lease as far as it knows without
		 * asking the database: false once a renewal found it taken, or when renewals have
		 * failed for a whole time to live.
		 */
		public boolean isHeld() {
			return !this.lost && Leases.this.clock.instant().isBefore(this.heldUntil);
		}

		/**
		 * Checks, without asking the database, that this holder may still act: before an
		 * action that cannot be fenced by a transaction (a call to another service).
		 * @throws LeaseLost when renewals have failed for a whole time to live, or
		 * another replica took over
		 */
		public void ensureHeld() {
			if (!isHeld()) {
				throw new LeaseLost(this.name);
			}
		}

		/**
		 * The fence of a write: call it inside the transaction of a write made under this
		 * lease, before writing. It locks the lease row until that transaction ends (so
		 * no other replica can take the lease over meanwhile) and checks that the lease
		 * is still this holder's and unexpired.
		 * @throws LeaseLost when it is not: the caller must not write
		 */
		public void guard() {
			ensureHeld();
			Instant now = Leases.this.clock.instant();
			boolean held = Leases.this.jdbc
				.sql("select holder from lease where name = ? and holder = ? and expires_at > ? for update")
				.params(this.name, this.holder, Timestamp.from(now))
				.query(String.class)
				.optional()
				.isPresent();
			if (!held) {
				this.lost = true;
				throw new LeaseLost(this.name);
			}
		}

		private void renew() {
			Instant now = Leases.this.clock.instant();
			try {
				int renewed = Leases.this.jdbc.sql("update lease set expires_at = ? where name = ? and holder = ?")
					.params(Timestamp.from(now.plus(this.ttl)), this.name, this.holder)
					.update();
				if (renewed == 0) {
					this.lost = true;
					this.renewal.cancel(false);
					logger.warn("Lease " + this.name + " was taken over by another replica");
				}
				else {
					this.heldUntil = now.plus(this.ttl);
				}
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

	/**
	 * A holder's lease lapsed or was taken over while it worked: what it was about to
	 * write must not be written.
	 */
	public static class LeaseLost extends RuntimeException {

		LeaseLost(String name) {
			super("lease " + name + " is no longer held");
		}

	}

}
