package dev.savedtracks.library.store;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.savedtracks.library.StaleReason;

/**
 * The {@code library} table, one row per person with a cached copy: its {@link Head}.
 * Plain JDBC, one indexed statement per operation, because a head is read on every call
 * of the API and written by every sync.
 */
@Repository
public class LibraryHeads {

	private static final String COLUMNS = "total, spotify_total, removed_items, duplicate_items, version, epoch, "
			+ "generation, top_seq, synced_at, checked_at, full_synced_at, stale_reason, failures, retry_at, "
			+ "content_digest";

	private final JdbcClient jdbc;

	private final SecureRandom random = new SecureRandom();

	public LibraryHeads(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Head> find(String accountId) {
		return this.jdbc.sql("select " + COLUMNS + " from library where account_id = ?")
			.param(accountId)
			.query((rs, i) -> head(rs))
			.optional();
	}

	/**
	 * Records that Spotify confirmed the copy at {@code now}.
	 * @throws IllegalStateException when the library is gone (the person deleted their
	 * data meanwhile)
	 */
	Head confirmed(String accountId, Head head, Instant now) {
		int updated = this.jdbc
			.sql("update library set checked_at = ?, stale_reason = null, sync_state = 'COMPLETE', failures = 0, "
					+ "retry_at = null, last_error = null where account_id = ?")
			.params(Timestamp.from(now), accountId)
			.update();
		if (updated == 0) {
			throw new IllegalStateException("the library was deleted during its sync");
		}
		return new Head(head.total(), head.spotifyTotal(), head.removed(), head.duplicates(), head.version(),
				head.epoch(), head.generation(), head.topSeq(), head.syncedAt(), now, head.fullSyncedAt(), null, 0,
				null, head.contentDigest());
	}

	/** Records a failed attempt: why, and when the next one may start. */
	public void failed(String accountId, StaleReason reason, @Nullable Instant retryAt, String detail) {
		this.jdbc
			.sql("update library set stale_reason = ?, sync_state = 'FAILED', failures = failures + 1, retry_at = ?, "
					+ "last_error = ? where account_id = ?")
			.params(reason.name(), (retryAt != null) ? Timestamp.from(retryAt) : null,
					(detail.length() > 255) ? detail.substring(0, 255) : detail, accountId)
			.update();
	}

	/** Clears a failure that only the person could end (they signed in again). */
	public void clearFailure(String accountId, StaleReason reason) {
		this.jdbc
			.sql("update library set stale_reason = null, sync_state = 'COMPLETE', failures = 0, retry_at = null, "
					+ "checked_at = null where account_id = ? and stale_reason = ?")
			.params(accountId, reason.name())
			.update();
	}

	/**
	 * public * Makes a new copy the current one, keeping the previous one as retired (for
	 * readers still downloading it).
	 * @return the new head
	 */
	Head switched(String accountId, @Nullable Head previous, NewCopy copy, Instant now) {
		if (previous == null) {
			long epoch = this.random.nextLong();
			this.jdbc.sql("insert into library (account_id, total, spotify_total, removed_items, duplicate_items, "
					+ "version, epoch, generation, top_seq, synced_at, checked_at, full_synced_at, stale_reason, "
					+ "failures, content_digest, sync_state) values (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'COMPLETE')")
				.params(accountId, copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), epoch,
						copy.generation(), copy.topSeq(), Timestamp.from(now), Timestamp.from(now), Timestamp.from(now),
						name(copy.staleReason()), copy.digest())
				.update();
			return new Head(copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), 1, epoch,
					copy.generation(), copy.topSeq(), now, now, now, copy.staleReason(), 0, null, copy.digest());
		}
		this.jdbc.sql("update library set total = ?, spotify_total = ?, removed_items = ?, duplicate_items = ?, "
				+ "version = version + 1, generation = ?, top_seq = ?, synced_at = ?, checked_at = ?, "
				+ "full_synced_at = ?, stale_reason = ?, sync_state = 'COMPLETE', failures = 0, retry_at = null, "
				+ "last_error = null, content_digest = ?, retired_generation = ?, retired_at = ? where account_id = ?")
			.params(copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), copy.generation(),
					copy.topSeq(), Timestamp.from(now), Timestamp.from(now), Timestamp.from(now),
					name(copy.staleReason()), copy.digest(), previous.generation(), Timestamp.from(now), accountId)
			.update();
		return new Head(copy.total(), copy.spotifyTotal(), copy.removed(), copy.duplicates(), previous.version() + 1,
				previous.epoch(), copy.generation(), copy.topSeq(), now, now, now, copy.staleReason(), 0, null,
				copy.digest());
	}

	/**
	 * Records tracks added on top of the copy {@code head} describes, if it is still the
	 * current one.
	 */
	Optional<Head> addedOnTop(String accountId, Head head, int added, int spotifyTotal, Instant now) {
		int updated = this.jdbc.sql(
				"update library set total = total + ?, spotify_total = ?, top_seq = top_seq + ?, version = version + 1, "
						+ "synced_at = ?, checked_at = ?, stale_reason = null, sync_state = 'COMPLETE', failures = 0, "
						+ "retry_at = null, last_error = null where account_id = ? and version = ?")
			.params(added, spotifyTotal, added, Timestamp.from(now), Timestamp.from(now), accountId, head.version())
			.update();
		if (updated == 0) {
			return Optional.empty();
		}
		return Optional.of(new Head(head.total() + added, spotifyTotal, head.removed(), head.duplicates(),
				head.version() + 1, head.epoch(), head.generation(), head.topSeq() + added, now, now,
				head.fullSyncedAt(), null, 0, null, head.contentDigest()));
	}

	/**
	 * Counts a full sync of the library against its daily allowance of {@code maxPerDay}
	 * (a day counted from the first full sync in it).
	 * @return {@code null} when the sync may run; otherwise when the allowance is renewed
	 */
	public @Nullable Instant takeFullSync(String accountId, Instant now, int maxPerDay) {
		Timestamp dayAgo = Timestamp.from(now.minus(java.time.Duration.ofDays(1)));
		int taken = this.jdbc
			.sql("update library set full_syncs = case when full_syncs_since is null or full_syncs_since <= ? then 1 "
					+ "else full_syncs + 1 end, full_syncs_since = case when full_syncs_since is null or "
					+ "full_syncs_since <= ? then ? else full_syncs_since end where account_id = ? and "
					+ "(full_syncs_since is null or full_syncs_since <= ? or full_syncs < ?)")
			.params(dayAgo, dayAgo, Timestamp.from(now), accountId, dayAgo, maxPerDay)
			.update();
		if (taken == 1) {
			return null;
		}
		return this.jdbc.sql("select full_syncs_since from library where account_id = ?")
			.param(accountId)
			.query((rs, i) -> instant(rs.getObject(1, OffsetDateTime.class)))
			.optional()
			.map(since -> since.plus(java.time.Duration.ofDays(1)))
			.orElse(null);
	}

	/** Records that the library was read at {@code now}, for the warm-up. */
	public void read(String accountId, Instant now) {
		this.jdbc.sql("update library set read_at = ? where account_id = ?")
			.params(Timestamp.from(now), accountId)
			.update();
	}

	/**
	 * Libraries read since {@code readSince} whose copy was last confirmed before
	 * {@code checkedBefore} and that are not backing off after a failure (nor waiting for
	 * their person to sign in again), least recently confirmed first.
	 */
	public List<String> dueForWarmUp(Instant readSince, Instant checkedBefore, Instant now, int limit) {
		return this.jdbc
			.sql("select account_id from library where read_at >= ? and checked_at < ? and (retry_at is null or "
					+ "retry_at <= ?) and (stale_reason is null or stale_reason <> 'REAUTHORIZATION_REQUIRED') "
					+ "order by checked_at limit ?")
			.params(Timestamp.from(readSince), Timestamp.from(checkedBefore), Timestamp.from(now), limit)
			.query(String.class)
			.list();
	}

	/**
	 * The generation a library retired before {@code before}, whose rows no reader should
	 * need any more.
	 */
	List<Retired> retiredBefore(Instant before) {
		return this.jdbc
			.sql("select account_id, retired_generation from library where retired_generation is not null "
					+ "and retired_at < ?")
			.param(Timestamp.from(before))
			.query((rs, i) -> new Retired(rs.getString(1), rs.getLong(2)))
			.list();
	}

	/** The generation retired by a library, if any. */
	public Optional<Long> retired(String accountId) {
		return this.jdbc.sql("select retired_generation from library where account_id = ?")
			.param(accountId)
			.query((rs, i) -> rs.getObject(1, Long.class))
			.optional()
			.filter(generation -> generation != null);
	}

	void forgetRetired(String accountId, long generation) {
		this.jdbc
			.sql("update library set retired_generation = null, retired_at = null where account_id = ? "
					+ "and retired_generation = ?")
			.params(accountId, generation)
			.update();
	}

	private static Head head(ResultSet rs) throws SQLException {
		String reason = rs.getString(12);
		return new Head(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getLong(6),
				rs.getLong(7), rs.getInt(8), instant(rs.getObject(9, OffsetDateTime.class)),
				instant(rs.getObject(10, OffsetDateTime.class)), instant(rs.getObject(11, OffsetDateTime.class)),
				(reason != null) ? StaleReason.valueOf(reason) : null, rs.getInt(13),
				instant(rs.getObject(14, OffsetDateTime.class)), rs.getString(15));
	}

	private static @Nullable String name(@Nullable StaleReason reason) {
		return (reason != null) ? reason.name() : null;
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	/** A retired generation of a library. */
	record Retired(String accountId, long generation) {
	}

	/**
	 * A complete new copy, written as {@code generation}.
	 *
	 * @param staleReason {@code null}, or {@link StaleReason#LIBRARY_CHANGING} for a copy
	 * kept although Spotify's answers disagreed, because no better one existed
	 */
	public record NewCopy(long generation, int topSeq, int total, int spotifyTotal, int removed, int duplicates,
			String digest, @Nullable StaleReason staleReason) {
	}

}
