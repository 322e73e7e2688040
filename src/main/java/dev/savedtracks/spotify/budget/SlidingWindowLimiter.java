package dev.savedtracks.spotify.budget;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * The limiter shaped like Spotify's: a sliding window ({@link WindowSlots}) that grants
 * up to the {@link SharedAllowance allowance}, less a margin for jitter, within any
 * rolling window, as early as possible. A person alone gets a whole window's requests at
 * once instead of a trickle. The window is shared by every replica through PostgreSQL
 * ({@link DatabaseWindow}); with H2, which serves one replica, it is kept in memory. The
 * last few permits of each window are the newcomers' {@link #reserve() reserve}.
 */
@Component
class SlidingWindowLimiter implements Limiter {

	private final SharedAllowance allowance;

	private final @Nullable DatabaseWindow shared;

	private final WindowSlots local = new WindowSlots();

	SlidingWindowLimiter(SharedAllowance allowance, DataSource dataSource) {
		this.allowance = allowance;
		this.shared = (allowance.configured().unlimited() || !isPostgres(dataSource)) ? null
				: new DatabaseWindow(dataSource);
	}

	@Override
	public boolean unlimited() {
		return this.allowance.configured().unlimited();
	}

	/**
	 * The window shared through PostgreSQL blocks; the one in memory only when the shared
	 * allowance is due to be read again.
	 */
	@Override
	public boolean blocks() {
		return this.shared != null || this.allowance.refreshDue();
	}

	@Override
	public Duration window() {
		return this.allowance.configured().window();
	}

	/** Requests allowed per window now. */
	int allowed() {
		return this.allowance.allowed();
	}

	@Override
	public long tryTake(int headroom) {
		int limit = usable(this.allowance.current().allowed(), window()) - Math.max(0, headroom);
		long slotMillis = WindowSlots.slotMillis(window().toMillis());
		long millis = (this.shared != null) ? this.shared.tryTake(slotMillis, limit)
				: this.local.tryTake(System.nanoTime() / 1_000_000, slotMillis, limit);
		return millis * 1_000_000;
	}

	@Override
	public int reserve() {
		return reserve(usable(this.allowance.allowed(), window()));
	}

	/**
	 * Back to the configured request budget and an empty window, for every replica: for
	 * tests.
	 */
	void reset() {
		if (unlimited()) {
			return;
		}
		this.allowance.reset();
		this.local.clear();
		if (this.shared != null) {
			this.shared.clear();
		}
	}

	/**
	 * The permits granted within one window for {@code allowed} requests: less a margin
	 * for the jitter between granting a request and its arrival at Spotify (a database
	 * round trip, a busy thread, clocks), what a quarter of a second of the allowance's
	 * pace sends, and at least 2 % of it and one request.
	 */
	static int usable(int allowed, Duration window) {
		long jitter = (long) Math.ceil(allowed * 250.0 / Math.max(1, window.toMillis()));
		int margin = (int) Math.max(Math.max(1, (allowed + 49) / 50), jitter);
		return Math.max(2, allowed - margin);
	}

	/**
	 * The newcomers' reserve: the last permits of a window, which an account that already
	 * had as many in the window (and background work) leaves to others, so that a person
	 * who signs in while a large library syncs is answered at once. A thirtieth of the
	 * window (5 of 150): two or three people signing in, while a 7,000-track library (140
	 * pages) still syncs within one window of 150.
	 */
	static int reserve(int usable) {
		return Math.max(1, Math.min(usable - 1, usable / 30));
	}

	private static boolean isPostgres(DataSource dataSource) {
		try {
			String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
			return product.toLowerCase(Locale.ROOT).contains("postgres");
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("cannot tell which database holds the request budget", ex);
		}
	}

}
