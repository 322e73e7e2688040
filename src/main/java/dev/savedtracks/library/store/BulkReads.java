package dev.savedtracks.library.store;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import dev.savedtracks.system.ProblemException;

/**
 * Reads of many rows (downloads, large windows) take the database's time by the hundred
 * rows; when they may use every connection, a burst of them makes API-key lookups,
 * sessions and library heads wait until they time out. So at most half of the pool's
 * connections read in bulk at once, and the rest stay free for the short queries every
 * request makes. Hand-written because no pool offers a quota per kind of query.
 */
final class BulkReads {

	/** A window above this many rows is a bulk read. */
	static final int ROWS = 500;

	/** Attempts at a chunk's query when no connection is free. */
	private static final int CHUNK_ATTEMPTS = 3;

	/** How long a window read on a request thread waits for its turn among bulk reads. */
	private static final Duration WINDOW_WAIT = Duration.ofSeconds(3);

	/**
	 * How long a download's chunk waits for its turn: it holds no connection meanwhile,
	 * only its client waits.
	 */
	private static final Duration CHUNK_WAIT = Duration.ofSeconds(30);

	private final Semaphore turns;

	BulkReads(DataSource dataSource) {
		this.turns = new Semaphore(connections(dataSource), true);
	}

	/** Half of the pool's connections, at least one. */
	static int connections(DataSource dataSource) {
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

	/** A window's query: in bulk when it reads more than {@value #ROWS} rows. */
	<T> T window(int rows, Supplier<T> query) {
		return (rows > ROWS) ? inTurn(WINDOW_WAIT, query) : query.get();
	}

	/**
	 * A download chunk's query, waiting for a connection longer than a request would: a
	 * download already under way holds none between chunks, so when every connection is
	 * busy it can wait its turn rather than be cut off.
	 */
	<T> T chunk(Supplier<T> query) {
		for (int attempt = 1;; attempt++) {
			try {
				return inTurn(CHUNK_WAIT, query);
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

	private <T> T inTurn(Duration wait, Supplier<T> query) {
		try {
			if (!this.turns.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
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
			this.turns.release();
		}
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

}
