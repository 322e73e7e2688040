package dev.savedtracks.library.store;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.StaleReason;

/**
 * Every write of the cache ({@code library} and {@code library_track}), with plain JDBC.
 * What a sync changes happens in one transaction that first checks the sync's lease
 * ({@link Lease#guard()}): a replica whose lease lapsed writes nothing. A reader sees
 * either the previous copy or the new one: a full sync writes a new generation of rows
 * page by page, which no reader looks at, and then switches the library to it in one
 * small transaction that first counts its rows. The replaced copy is kept for
 * {@code LIBRARY_RETIRED_COPY_GRACE} for downloads still reading it, then deleted
 * ({@link RetiredCopies}). The library row's bookkeeping (a failure, a read, a full sync
 * counted) is one statement each. Rows of a person whose data was deleted cannot be
 * written: the schema's foreign keys refuse them.
 */
@Repository
public class LibraryWriter {

	private static final Log logger = LogFactory.getLog(LibraryWriter.class);

	private static final String INSERT_ROW = "insert into library_track (account_id, generation, seq, track_key, "
			+ "added_at, item_json) values (?, ?, ?, ?, ?, ?)";

	private final LibraryReader reader;

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	LibraryWriter(LibraryReader reader, JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions,
			Clock clock) {
		this.reader = reader;
		this.jdbc = jdbc;
		this.template = template;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/**
	 * Starts a new generation for a full sync: deletes what earlier syncs that never
	 * finished left behind, and returns a generation number no row of this library has.
	 */
	public long startGeneration(String accountId, @Nullable Head current, Lease lease) {
		long generation = (current != null) ? current.generation() : -1;
		inTransaction(lease,
				() -> this.jdbc.sql("delete from library_track where account_id = ? and generation > ?")
					.params(accountId, generation)
					.update());
		return generation + 1;
	}

	/** Stores rows of a new generation. */
	public void write(String accountId, long generation, List<SeqRow> rows, Lease lease) {
		if (!rows.isEmpty()) {
			inTransaction(lease, () -> insert(accountId, generation, rows));
		}
	}

	/**
	 * Makes a new copy the current one, if it holds exactly {@code rows} rows; the copy
	 * it replaces is retired (kept for readers still downloading it), and one retired
	 * before goes now.
	 * @return the new head, or empty when the rows do not add up (the copy was not
	 * switched to)
	 */
	public Optional<Head> switchTo(String accountId, @Nullable Head previous, NewCopy copy, int rows, Lease lease) {
		return Objects.requireNonNull(this.transaction.execute(status -> {
			lease.guard();
			if (this.reader.count(accountId, copy.generation()) != rows) {
				return Optional.<Head>empty();
			}
			this.reader.retired(accountId).ifPresent(retired -> deleteRetired(accountId, retired));
			Instant now = now();
			Instant checked = millis(copy.checkedAt());
			Timestamp at = Timestamp.from(now);
			Timestamp checkedAt = Timestamp.from(checked);
			String stale = (copy.staleReason() != null) ? copy.staleReason().name() : null;
			if (previous == null) {
				long epoch = this.random.nextLong();
				this.jdbc.sql("insert into library (account_id, total, spotify_total, removed_items, duplicate_items, "
						+ "version, epoch, generation, top_seq, synced_at, checked_at, full_synced_at, stale_reason, "
						+ "failures, content_digest) values (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 0, ?)")
					.params(accountId, copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), epoch,
							copy.generation(), copy.topSeq(), at, checkedAt, checkedAt, stale, copy.digest())
					.update();
				return Optional.of(switched(copy, 1, epoch, now, checked));
			}
			this.jdbc.sql("update library set total = ?, spotify_total = ?, removed_items = ?, duplicate_items = ?, "
					+ "version = version + 1, generation = ?, top_seq = ?, synced_at = ?, checked_at = ?, "
					+ "full_synced_at = ?, stale_reason = ?, failures = 0, retry_at = null, "
					+ "last_error = null, content_digest = ?, retired_generation = ?, retired_at = ? where account_id = ?")
				.params(copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), copy.generation(),
						copy.topSeq(), at, checkedAt, checkedAt, stale, copy.digest(), previous.generation(), at,
						accountId)
				.update();
			return Optional.of(switched(copy, previous.version() + 1, previous.epoch(), now, checked));
		}));
	}

	private static Head switched(NewCopy copy, long version, long epoch, Instant now, Instant checked) {
		return new Head(copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), version, epoch,
				copy.generation(), copy.topSeq(), now, checked, checked, copy.staleReason(), 0, null, copy.digest());
	}

	/**
	 * Adds {@code rows} (in Spotify's order) on top of the copy {@code head} describes.
	 * @param checkedAt when Spotify was asked for the first page that listed them (see
	 * {@link Head#checkedAt()})
	 * @return the new head, or empty when another writer changed the library first
	 */
	public Optional<Head> addOnTop(String accountId, Head head, List<TrackRow> rows, int spotifyTotal,
			Instant checkedAt, Lease lease) {
		return Objects.requireNonNull(this.transaction.execute(status -> {
			lease.guard();
			Instant now = now();
			Instant checked = millis(checkedAt);
			int added = rows.size();
			int updated = this.jdbc.sql("update library set total = total + ?, spotify_total = ?, "
					+ "top_seq = top_seq + ?, version = version + 1, synced_at = ?, checked_at = ?, stale_reason = null, "
					+ "failures = 0, retry_at = null, last_error = null " + "where account_id = ? and version = ?")
				.params(added, spotifyTotal, added, Timestamp.from(now), Timestamp.from(checked), accountId,
						head.version())
				.update();
			if (updated == 0) {
				return Optional.<Head>empty();
			}
			List<SeqRow> seqs = new ArrayList<>(added);
			for (int i = 0; i < added; i++) {
				seqs.add(new SeqRow(head.topSeq() + added - i, rows.get(i)));
			}
			insert(accountId, head.generation(), seqs);
			return Optional.of(new Head(head.total() + added, spotifyTotal, head.removed(), head.duplicates(),
					head.version() + 1, head.epoch(), head.generation(), head.topSeq() + added, now, checked,
					head.fullSyncedAt(), null, 0, null, head.contentDigest()));
		}));
	}

	/**
	 * Records that Spotify confirmed the copy.
	 * @param checkedAt when Spotify was asked for the first page that confirmed it (see
	 * {@link Head#checkedAt()})
	 * @throws IllegalStateException when the library is gone (the person deleted their
	 * data meanwhile)
	 */
	public Head confirm(String accountId, Head head, Instant checkedAt, Lease lease) {
		return Objects.requireNonNull(this.transaction.execute(status -> {
			lease.guard();
			Instant checked = millis(checkedAt);
			int updated = this.jdbc
				.sql("update library set checked_at = ?, stale_reason = null, failures = 0, "
						+ "retry_at = null, last_error = null where account_id = ?")
				.params(Timestamp.from(checked), accountId)
				.update();
			if (updated == 0) {
				throw new IllegalStateException("the library was deleted during its sync");
			}
			return new Head(head.total(), head.spotifyTotal(), head.removed(), head.duplicates(), head.version(),
					head.epoch(), head.generation(), head.topSeq(), head.syncedAt(), checked, head.fullSyncedAt(), null,
					0, null, head.contentDigest());
		}));
	}

	/**
	 * Deletes a generation that will never be switched to, unless the lease is lost (its
	 * new holder cleans up).
	 */
	public void discard(String accountId, long generation, Lease lease) {
		try {
			inTransaction(lease, () -> deleteGeneration(accountId, generation));
		}
		catch (RuntimeException ex) {
			// The next sync of this library deletes it instead; the failure that got us
			// here matters more.
			logger.warn("Could not discard an unfinished copy of a library: " + ex.getMessage());
		}
	}

	/** Records a failed sync: why, and when the next one may start. */
	public void recordFailure(String accountId, StaleReason reason, @Nullable Instant retryAt, String detail) {
		this.jdbc
			.sql("update library set stale_reason = ?, failures = failures + 1, retry_at = ?, "
					+ "last_error = ? where account_id = ?")
			.params(reason.name(), (retryAt != null) ? Timestamp.from(retryAt) : null,
					(detail.length() > 255) ? detail.substring(0, 255) : detail, accountId)
			.update();
	}

	/** Clears a failure that only the person could end (they signed in again). */
	public void clearFailure(String accountId, StaleReason reason) {
		this.jdbc
			.sql("update library set stale_reason = null, failures = 0, retry_at = null, "
					+ "checked_at = null where account_id = ? and stale_reason = ?")
			.params(accountId, reason.name())
			.update();
	}

	/** Records that the library was read at {@code now}, for the warm-up. */
	public void recordRead(String accountId, Instant now) {
		this.jdbc.sql("update library set read_at = ? where account_id = ?")
			.params(Timestamp.from(now), accountId)
			.update();
	}

	/**
	 * Counts a full sync of the library against its daily allowance of {@code maxPerDay}
	 * (a day counted from the first full sync in it).
	 * @return {@code null} when the sync may run; otherwise when the allowance is renewed
	 */
	public @Nullable Instant takeFullSync(String accountId, Instant now, int maxPerDay) {
		Timestamp dayAgo = Timestamp.from(now.minus(Duration.ofDays(1)));
		int taken = this.jdbc
			.sql("update library set full_syncs = case when full_syncs_since is null or full_syncs_since <= ? then 1 "
					+ "else full_syncs + 1 end, full_syncs_since = case when full_syncs_since is null or "
					+ "full_syncs_since <= ? then ? else full_syncs_since end where account_id = ? and "
					+ "(full_syncs_since is null or full_syncs_since <= ? or full_syncs < ?)")
			.params(dayAgo, dayAgo, Timestamp.from(now), accountId, dayAgo, maxPerDay)
			.update();
		return (taken == 1) ? null : this.reader.fullSyncsRenewed(accountId).orElse(null);
	}

	/**
	 * Deletes a retired copy and forgets it, in the caller's transaction
	 * ({@link RetiredCopies}).
	 */
	void deleteRetired(String accountId, long generation) {
		deleteGeneration(accountId, generation);
		this.jdbc
			.sql("update library set retired_generation = null, retired_at = null where account_id = ? "
					+ "and retired_generation = ?")
			.params(accountId, generation)
			.update();
	}

	private void deleteGeneration(String accountId, long generation) {
		this.jdbc.sql("delete from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.update();
	}

	private void insert(String accountId, long generation, List<SeqRow> rows) {
		List<Object[]> batch = new ArrayList<>(rows.size());
		for (SeqRow row : rows) {
			batch.add(new Object[] { accountId, generation, row.seq(), row.row().key(), row.row().addedAt(),
					row.row().json() });
		}
		this.template.batchUpdate(INSERT_ROW, batch);
	}

	private void inTransaction(Lease lease, Runnable write) {
		this.transaction.executeWithoutResult(status -> {
			lease.guard();
			write.run();
		});
	}

	private Instant now() {
		return millis(this.clock.instant());
	}

	/** As the database keeps it, so that a head written equals the head read back. */
	private static Instant millis(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS);
	}

}
