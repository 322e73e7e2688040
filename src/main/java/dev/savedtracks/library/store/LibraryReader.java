package dev.savedtracks.library.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.savedtracks.library.StaleReason;
import dev.savedtracks.system.ProblemException;

/**
 * Every read of the cache, with plain JDBC: a library's {@link Head} (its {@code library}
 * row, read on every call of the API) and the tracks of its copies
 * ({@code library_track}: thousands of rows read in windows, which entities would only
 * slow down). Rows belong to a generation: a full sync writes a new one while the old one
 * is still served. {@code seq} grows with newer saves, so Spotify's order is
 * {@code seq desc}. A copy is the rows of one generation up to a top seq; queries order
 * by the whole primary key, descending, which is Spotify's order within a generation and
 * lets the database walk the key instead of sorting the library. Writes are
 * {@link LibraryWriter}'s.
 */
@Repository
public class LibraryReader {

	static final String HEAD_COLUMNS = "total, spotify_total, removed_items, duplicate_items, version, epoch, "
			+ "generation, top_seq, synced_at, checked_at, full_synced_at, stale_reason, failures, retry_at, "
			+ "content_digest";

	private static final String ORDER = " order by account_id desc, generation desc, seq desc ";

	private static final String OF_COPY = " where account_id = ? and generation = ? and seq <= ?";

	/**
	 * Keys per {@code in} list: far below every database's limit on statement parameters.
	 */
	private static final int KEYS_PER_QUERY = 500;

	private final JdbcClient jdbc;

	private final BulkReads bulk;

	LibraryReader(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.bulk = new BulkReads(dataSource);
	}

	/** The head of a person's library; empty when nothing is cached. */
	public Optional<Head> head(String accountId) {
		return this.jdbc.sql("select " + HEAD_COLUMNS + " from library where account_id = ?")
			.param(accountId)
			.query((rs, i) -> head(rs))
			.optional();
	}

	/** The first {@code count} rows of a copy in Spotify's order, without their JSON. */
	public List<TrackRow> top(String accountId, Head copy, int count) {
		return this.jdbc
			.sql("select track_key, added_at from library_track" + OF_COPY + ORDER
					+ "offset 0 rows fetch next ? rows only")
			.params(accountId, copy.generation(), copy.topSeq(), count)
			.query((rs, i) -> new TrackRow(rs.getString(1), rs.getString(2), ""))
			.list();
	}

	/**
	 * The JSON of the tracks in a window of a copy, in Spotify's order, in one query (a
	 * window of more than {@value BulkReads#ROWS} rows waits for its turn among bulk
	 * reads).
	 */
	public List<String> window(String accountId, Head copy, int offset, int limit) {
		return this.bulk.window(limit, () -> this.jdbc
			.sql("select item_json from library_track" + OF_COPY + ORDER + "offset ? rows fetch next ? rows only")
			.params(accountId, copy.generation(), copy.topSeq(), offset, limit)
			.query((rs, i) -> rs.getString(1))
			.list());
	}

	/**
	 * Hands a window of a copy to {@code sink} in chunks of at most {@code chunk} rows,
	 * each read by a query of its own, so no connection is held between chunks (or while
	 * the sink writes them to a slow client). A copy never changes, so the chunks add up
	 * to exactly the window.
	 * @throws CopyGone when the copy's rows were deleted meanwhile (a newer copy replaced
	 * it long ago)
	 */
	public void chunks(String accountId, Head copy, int offset, int limit, int chunk, ChunkSink sink) throws Exception {
		int remaining = limit;
		Integer after = null;
		while (remaining > 0) {
			int size = Math.min(chunk, remaining);
			Integer last = after;
			List<Row> rows = this.bulk.chunk(() -> ((last == null)
					? this.jdbc
						.sql("select seq, item_json from library_track" + OF_COPY + ORDER
								+ "offset ? rows fetch next ? rows only")
						.params(accountId, copy.generation(), copy.topSeq(), offset, size)
					: this.jdbc
						.sql("select seq, item_json from library_track" + OF_COPY + " and seq < ?" + ORDER
								+ "offset 0 rows fetch next ? rows only")
						.params(accountId, copy.generation(), copy.topSeq(), last, size))
				.query((rs, i) -> new Row(rs.getInt(1), rs.getString(2)))
				.list());
			if (rows.size() < size) {
				throw new CopyGone();
			}
			List<String> json = new ArrayList<>(rows.size());
			for (Row row : rows) {
				json.add(row.json());
			}
			sink.accept(json);
			after = rows.get(rows.size() - 1).seq();
			remaining -= rows.size();
		}
	}

	/**
	 * Whether any of {@code keys} is a track of the copy (queried in batches, however
	 * many keys).
	 */
	public boolean containsAny(String accountId, Head copy, Collection<String> keys) {
		List<String> all = List.copyOf(keys);
		for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
			List<String> batch = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
			List<Object> params = new ArrayList<>(batch.size() + 3);
			params.add(accountId);
			params.add(copy.generation());
			params.add(copy.topSeq());
			params.addAll(batch);
			Integer found = this.jdbc
				.sql("select count(*) from library_track" + OF_COPY + " and track_key in ("
						+ String.join(",", Collections.nCopies(batch.size(), "?")) + ")")
				.params(params)
				.query(Integer.class)
				.single();
			if (found != null && found > 0) {
				return true;
			}
		}
		return false;
	}

	/** The rows of a generation, complete or not. */
	int count(String accountId, long generation) {
		return this.jdbc.sql("select count(*) from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.query(Integer.class)
			.single();
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

	/** The generation a library retired (kept for downloads still reading it), if any. */
	Optional<Long> retired(String accountId) {
		return this.jdbc.sql("select retired_generation from library where account_id = ?")
			.param(accountId)
			.query((rs, i) -> rs.getObject(1, Long.class))
			.optional()
			.filter(generation -> generation != null);
	}

	/** Generations retired before {@code before}, whose rows no reader should need. */
	List<Retired> retiredBefore(Instant before) {
		return this.jdbc
			.sql("select account_id, retired_generation from library where retired_generation is not null "
					+ "and retired_at < ?")
			.param(Timestamp.from(before))
			.query((rs, i) -> new Retired(rs.getString(1), rs.getLong(2)))
			.list();
	}

	/** When the day of a library's full syncs ends, counted from its first. */
	Optional<Instant> fullSyncsRenewed(String accountId) {
		return this.jdbc.sql("select full_syncs_since from library where account_id = ?")
			.param(accountId)
			.query((rs, i) -> instant(rs.getObject(1, OffsetDateTime.class)))
			.optional()
			.map(since -> since.plus(Duration.ofDays(1)));
	}

	private static Head head(ResultSet rs) throws SQLException {
		String reason = rs.getString(12);
		return new Head(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getLong(6),
				rs.getLong(7), rs.getInt(8), instant(rs.getObject(9, OffsetDateTime.class)),
				instant(rs.getObject(10, OffsetDateTime.class)), instant(rs.getObject(11, OffsetDateTime.class)),
				(reason != null) ? StaleReason.valueOf(reason) : null, rs.getInt(13),
				instant(rs.getObject(14, OffsetDateTime.class)), rs.getString(15));
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	/** A retired generation of a library. */
	record Retired(String accountId, long generation) {
	}

	private record Row(int seq, String json) {
	}

	/** Receives the JSON of consecutive tracks of a window. */
	@FunctionalInterface
	public interface ChunkSink {

		void accept(List<String> tracks) throws Exception;

	}

	/**
	 * The rows of a copy are gone: a newer copy replaced it longer ago than a reader may
	 * take, or the person's data was deleted. Before anything was sent the caller is told
	 * to ask again; a download already under way is cut off, visibly, rather than ended
	 * as if complete.
	 */
	public static final class CopyGone extends ProblemException {

		public CopyGone() {
			super(HttpStatus.SERVICE_UNAVAILABLE, "library-changing", "Library is changing",
					"The copy of your library being read was replaced meanwhile. Ask again.",
					"the copy being read was replaced or deleted", Duration.ofSeconds(1), null);
		}

	}

}
