package dev.savedtracks.library.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.savedtracks.system.ProblemException;

/**
 * The cached tracks ({@code library_track}), read and written with plain JDBC: a library
 * is thousands of rows written in batches and read in windows, which entities would only
 * slow down. Rows belong to a generation: a full sync writes a new one while the old one
 * is still served. {@code seq} grows with newer saves, so Spotify's order is
 * {@code seq desc}, and tracks saved later are added on top without touching the rest. A
 * copy is the rows of one generation up to a top seq ({@link Head}); queries order by the
 * whole primary key, descending, which is Spotify's order within a generation and lets
 * the database walk the key instead of sorting the library.
 */
@Repository
public class TrackRows {

	private static final String ORDER = " order by account_id desc, generation desc, seq desc ";

	private static final String OF_COPY = " where account_id = ? and generation = ? and seq <= ?";

	private static final String INSERT = "insert into library_track (account_id, generation, seq, track_key, "
			+ "added_at, item_json) values (?, ?, ?, ?, ?, ?)";

	/** Attempts at a chunk's query when no connection is free. */
	private static final int CHUNK_ATTEMPTS = 3;

	/**
	 * Keys per {@code in} list: far below every database's limit on statement parameters.
	 */
	private static final int KEYS_PER_QUERY = 500;

	/** A window above this many rows is a bulk read. */
	static final int BULK_ROWS = 500;

	/** How long a window read on a request thread waits for its turn among bulk reads. */
	private static final Duration WINDOW_WAIT = Duration.ofSeconds(3);

	/**
	 * How long a download's chunk waits for its turn: it holds no connection meanwhile,
	 * only its client waits.
	 */
	private static final Duration CHUNK_WAIT = Duration.ofSeconds(30);

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final Semaphore bulkReads;

	TrackRows(JdbcClient jdbc, JdbcTemplate template, DataSource dataSource) {
		this.jdbc = jdbc;
		this.template = template;
		this.bulkReads = new Semaphore(bulkReadConnections(dataSource), true);
	}

	/**
	 * Reads of many rows (downloads, large windows) take the database's time by the
	 * hundred rows; when they may use every connection, a burst of them makes API-key
	 * lookups, sessions and library heads wait until they time out. So at most half of
	 * the pool's connections read in bulk at once, and the rest stay free for the short
	 * queries every request makes.
	 */
	public static int bulkReadConnections(DataSource dataSource) {
		int pool = 10;
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				pool = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
			}
		}
		catch (java.sql.SQLException ex) {
			// Not a Hikari pool: assume Hikari's default size.
		}
		return Math.max(1, pool / 2);
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

	/** The JSON of the tracks in a window of a copy, in Spotify's order, in one query. */
	public List<String> window(String accountId, Head copy, int offset, int limit) {
		Supplier<List<String>> query = () -> this.jdbc
			.sql("select item_json from library_track" + OF_COPY + ORDER + "offset ? rows fetch next ? rows only")
			.params(accountId, copy.generation(), copy.topSeq(), offset, limit)
			.query((rs, i) -> rs.getString(1))
			.list();
		return (limit > BULK_ROWS) ? inBulk(WINDOW_WAIT, query) : query.get();
	}

	/** Runs a query of many rows once one of the bulk reads' connections is free. */
	private <T> T inBulk(Duration wait, Supplier<T> query) {
		try {
			if (!this.bulkReads.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new ReadsBusy();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReadsBusy();
		}
		try {
			return query.get();
		}
		finally {
			this.bulkReads.release();
		}
	}

	/**
	 * Hands a window of a copy to {@code sink} in chunks of at most {@code chunk} rows,
	 * public * each read by a query of its own, so no connection is held between chunks
	 * (or while the sink writes them to a slow client). A copy never changes, so the
	 * chunks add up to exactly the window.
	 * @throws CopyGone when the copy's rows were deleted meanwhile (a newer copy replaced
	 * it long ago)
	 */
	public void chunks(String accountId, Head copy, int offset, int limit, int chunk, ChunkSink sink) throws Exception {
		int remaining = limit;
		Integer after = null;
		while (remaining > 0) {
			int size = Math.min(chunk, remaining);
			Integer last = after;
			List<Row> rows = patiently(() -> inBulk(CHUNK_WAIT,
					() -> (last == null)
							? this.jdbc
								.sql("select seq, item_json from library_track" + OF_COPY + ORDER
										+ "offset ? rows fetch next ? rows only")
								.params(accountId, copy.generation(), copy.topSeq(), offset, size)
								.query((rs, i) -> new Row(rs.getInt(1), rs.getString(2)))
								.list()
							: this.jdbc
								.sql("select seq, item_json from library_track" + OF_COPY + " and seq < ?" + ORDER
										+ "offset 0 rows fetch next ? rows only")
								.params(accountId, copy.generation(), copy.topSeq(), last, size)
								.query((rs, i) -> new Row(rs.getInt(1), rs.getString(2)))
								.list()));
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
	 * Runs one chunk's query, waiting for a connection longer than a request would: a
	 * download already under way holds none between chunks, so when every connection is
	 * busy it can wait its turn rather than be cut off.
	 */
	private static <T> T patiently(Supplier<T> query) {
		for (int attempt = 1;; attempt++) {
			try {
				return query.get();
			}
			catch (CannotGetJdbcConnectionException ex) {
				if (attempt == CHUNK_ATTEMPTS) {
					throw ex;
				}
				try {
					Thread.sleep(100L * attempt);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
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

	public int count(String accountId, long generation) {
		return this.jdbc.sql("select count(*) from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.query(Integer.class)
			.single();
	}

	public void deleteGeneration(String accountId, long generation) {
		this.jdbc.sql("delete from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.update();
	}

	/**
	 * Deletes the rows of generations above {@code generation}: what syncs that never
	 * finished left behind.
	 */
	public void deleteAbove(String accountId, long generation) {
		this.jdbc.sql("delete from library_track where account_id = ? and generation > ?")
			.params(accountId, generation)
			.update();
	}

	/** Inserts rows with their seqs. */
	public void insert(String accountId, long generation, List<Seq> rows) {
		List<Object[]> batch = new ArrayList<>(rows.size());
		for (Seq row : rows) {
			batch.add(new Object[] { accountId, generation, row.seq(), row.row().key(), row.row().addedAt(),
					row.row().json() });
		}
		this.template.batchUpdate(INSERT, batch);
	}

	/** A row and its place in the library: higher is more recently saved. */
	public record Seq(int seq, TrackRow row) {
	}

	private record Row(int seq, String json) {
	}

	/** Receives the JSON of consecutive tracks of a window. */
	@FunctionalInterface
	public interface ChunkSink {

		void accept(List<String> tracks) throws Exception;

	}

	/**
	 * Every bulk read's connection stayed taken for longer than a read may wait: try
	 * again shortly.
	 */
	static final class ReadsBusy extends ProblemException {

		ReadsBusy() {
			super(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too busy",
					"The service is reading as many libraries as it can right now. Try again in a few seconds.",
					"no bulk-read connection became free in time", Duration.ofSeconds(5), null);
		}

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
