package dev.savedtracks.library.sync;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.savedtracks.coordination.Leases;
import dev.savedtracks.library.Library.Progress;

/**
 * How far the running syncs have got, for the page's progress bar: pages fetched out of
 * the pages the sync needs (known once the first page has told the total). Kept in memory
 * for this replica's syncs and published to the shared database a few times a second
 * ({@code library_sync_progress}), so that a browser polling any replica sees a sync that
 * runs on another one.
 */
@Component
public class SyncProgress {

	private static final Log logger = LogFactory.getLog(SyncProgress.class);

	/** How often progress is published. */
	private static final long PUBLISH_MILLIS = 250;

	/** Progress not published for this long belongs to a replica that died mid-sync. */
	private static final Duration ABANDONED = Duration.ofSeconds(5);

	private final Map<String, Tracker> running = new ConcurrentHashMap<>();

	private final JdbcClient jdbc;

	private final String replica;

	private final Clock clock;

	SyncProgress(JdbcClient jdbc, Leases leases, Clock clock) {
		this.jdbc = jdbc;
		this.replica = leases.replica();
		this.clock = clock;
	}

	Tracker start(String accountId) {
		Tracker tracker = new Tracker();
		this.running.put(accountId, tracker);
		return tracker;
	}

	void finish(String accountId, Tracker tracker) {
		this.running.remove(accountId, tracker);
		synchronized (tracker) {
			tracker.finished = true;
			if (tracker.published >= 0) {
				try {
					this.jdbc.sql("delete from library_sync_progress where account_id = ? and replica = ?")
						.params(accountId, this.replica)
						.update();
				}
				catch (RuntimeException ex) {
					logger.debug("Could not remove a sync's progress: " + ex.getMessage());
				}
			}
		}
	}

	/**
	 * The progress of the library's sync: this replica's, or another replica's as it last
	 * published it.
	 */
	public Optional<Progress> of(String accountId) {
		Tracker local = this.running.get(accountId);
		if (local != null) {
			return Optional.of(local.snapshot());
		}
		try {
			return this.jdbc
				.sql("select pages_fetched, pages_total from library_sync_progress where account_id = ? "
						+ "and updated_at > ?")
				.params(accountId, Timestamp.from(this.clock.instant().minus(ABANDONED)))
				.query((rs, i) -> new Progress(rs.getInt(1), rs.getInt(2)))
				.optional();
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Writes the progress of this replica's syncs that moved (and keeps the others' rows
	 * alive), a few times a second on the application's scheduler.
	 */
	@Scheduled(fixedDelay = PUBLISH_MILLIS, initialDelay = PUBLISH_MILLIS)
	void publish() {
		Instant now = this.clock.instant();
		this.running.forEach((accountId, tracker) -> {
			synchronized (tracker) {
				if (tracker.finished) {
					return;
				}
				Progress snapshot = tracker.snapshot();
				int version = snapshot.pagesFetched() * 31 + snapshot.pagesTotal();
				boolean stale = Duration.between(tracker.publishedAt, now).compareTo(ABANDONED.dividedBy(2)) > 0;
				if (version == tracker.published && !stale) {
					return;
				}
				try {
					write(accountId, snapshot, now);
					tracker.published = version;
					tracker.publishedAt = now;
				}
				catch (RuntimeException ex) {
					logger.debug("Could not publish a sync's progress: " + ex.getMessage());
				}
			}
		});
	}

	private void write(String accountId, Progress snapshot, Instant now) {
		int updated = this.jdbc
			.sql("update library_sync_progress set replica = ?, pages_fetched = ?, pages_total = ?, updated_at = ? "
					+ "where account_id = ?")
			.params(this.replica, snapshot.pagesFetched(), snapshot.pagesTotal(), Timestamp.from(now), accountId)
			.update();
		if (updated == 0) {
			try {
				this.jdbc
					.sql("insert into library_sync_progress (account_id, replica, pages_fetched, pages_total, "
							+ "updated_at) values (?, ?, ?, ?, ?)")
					.params(accountId, this.replica, snapshot.pagesFetched(), snapshot.pagesTotal(),
							Timestamp.from(now))
					.update();
			}
			catch (DuplicateKeyException raced) {
				// Another replica's row appeared meanwhile; the next round updates it.
			}
		}
	}

	/** Counts the pages of one sync. */
	static final class Tracker {

		private final AtomicInteger fetched = new AtomicInteger();

		private volatile int needed;

		/** Guarded by this tracker. */
		private boolean finished;

		/**
		 * Guarded by this tracker: what was published last (-1: nothing yet), and when.
		 */
		private int published = -1;

		private Instant publishedAt = Instant.EPOCH;

		void pageFetched() {
			this.fetched.incrementAndGet();
		}

		/** The pages this sync will fetch in all, including those already fetched. */
		void pagesNeeded(int pages) {
			this.needed = pages;
		}

		/**
		 * Pages fetched of the pages needed; the total stays 0 (unknown) until the sync's
		 * plan has named it, so that the first page alone never reads as "1 of 1".
		 */
		Progress snapshot() {
			int done = this.fetched.get();
			int needed = this.needed;
			return new Progress(done, (needed == 0) ? 0 : Math.max(needed, done));
		}

	}

}
