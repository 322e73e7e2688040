package dev.savedtracks.coordination;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
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
 * holds no connection while the work runs. At shutdown, before the database closes, every
 * lease still held is released, so that another replica takes over at once instead of
 * after the time to live: syncs no longer hold a thread that an executor's shutdown could
 * interrupt (they wait for the request budget, or for Spotify, without one), so their own
 * release may come after the database has closed, or never.
 */
@Component
public class Leases implements DisposableBean {

	private static final Log logger = LogFactory.getLog(Leases.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ScheduledExecutorService renewals;

	private final String replica = UUID.randomUUID().toString().substring(0, 8);

	/** The leases this replica holds now. */
	private final Set<Lease> held = ConcurrentHashMap.newKeySet();

	private volatile boolean stopped;

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
		if (this.stopped) {
			throw new LeaseUnavailable(name);
		}
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
		Lease lease = new Lease(name, holder, ttl, now);
		if (this.stopped) {
			// Taken while the replica stopped: released at once, as the others were.
			lease.release();
			throw new LeaseUnavailable(name);
		}
		return Optional.of(lease);
	}

	/**
	 * Releases every lease still held, at shutdown: their holders' further writes fail
	 * their guard and their calls to other services fail {@link Lease#ensureHeld()}, so a
	 * sync still running stops without writing, and its library's previous complete copy
	 * stays in place. Runs before the database closes (this bean depends on it).
	 */
	@Override
	public void destroy() {
		this.stopped = true;
		int released = 0;
		for (Lease lease : Set.copyOf(this.held)) {
			if (lease.release()) {
				released++;
			}
		}
		if (released > 0) {
			logger.info("Released " + released + " lease(s) at shutdown");
		}
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

		private final AtomicBoolean released = new AtomicBoolean();

		private Lease(String name, String holder, Duration ttl, Instant acquiredAt) {
			this.name = name;
			this.holder = holder;
			this.ttl = ttl;
			this.heldUntil = acquiredAt.plus(ttl);
			long period = Math.max(ttl.toMillis() / 3, 10);
			this.renewal = Leases.this.renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
			Leases.this.held.add(this);
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

		/** Releases the lease unless that was done already (at shutdown). */
		@Override
		public void close() {
			release();
		}

		/**
		 * Stops renewing, marks the lease no longer held and deletes it, once.
		 * @return whether this call released it
		 */
		private boolean release() {
			if (!this.released.compareAndSet(false, true)) {
				return false;
			}
			this.lost = true;
			this.renewal.cancel(false);
			Leases.this.held.remove(this);
			try {
				Leases.this.jdbc.sql("delete from lease where name = ? and holder = ?")
					.params(this.name, this.holder)
					.update();
			}
			catch (RuntimeException ex) {
				// It lapses by itself; another replica waits at most one time to live.
				logger.warn("Could not release lease " + this.name + ": " + ex.getMessage());
			}
			return true;
		}

	}

}
