package dev.savedtracks.spotify.budget;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.RequestBudget;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.budget.Allowance.State;

/**
 * The {@link Allowance} every replica shares, in the {@code spotify_request_budget} row:
 * a 429 seen by one replica shrinks it for all, and every replica grows it back in step.
 * Changes are compare-and-set on the row's version, so of several replicas adapting at
 * once one wins. With an unlimited request budget there is no row and nothing adapts.
 */
@Component
class SharedAllowance {

	private static final Log logger = LogFactory.getLog(SharedAllowance.class);

	private static final String NAME = "spotify";

	/** How often the shared state is read again (and grown back when due). */
	private static final long REFRESH_NANOS = 1_000_000_000L;

	private final RequestBudget configured;

	private final Allowance allowance;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final AtomicReference<State> current = new AtomicReference<>();

	private final Counter decreases;

	private volatile long refreshedAt = System.nanoTime();

	SharedAllowance(SpotifySettings settings, JdbcClient jdbc, Clock clock, MeterRegistry meters) {
		this.configured = settings.budget();
		this.allowance = new Allowance(this.configured);
		this.jdbc = jdbc;
		this.clock = clock;
		this.decreases = Counter.builder("spotify.budget.decreases")
			.description("Times a 429 shrank the app-wide request budget")
			.register(meters);
		if (!this.configured.unlimited()) {
			this.current.set(start());
			Gauge.builder("spotify.budget.allowed", this, shared -> shared.allowed())
				.description("Spotify requests the app may make per budget window now (adapted after 429s)")
				.register(meters);
			Gauge.builder("spotify.budget.configured", this, shared -> shared.configured.requests())
				.description("SPOTIFY_REQUEST_BUDGET: requests per window at most")
				.register(meters);
			Gauge.builder("spotify.budget.window", this, shared -> shared.configured.window().toSeconds())
				.description("The budget's rolling window, in seconds")
				.register(meters);
		}
	}

	/** The request budget as configured. */
	RequestBudget configured() {
		return this.configured;
	}

	/** Requests allowed per window now. */
	int allowed() {
		State now = this.current.get();
		return (now != null) ? now.allowed() : 0;
	}

	/**
	 * The allowance in force, read again from the shared row (and grown back when a quiet
	 * window has passed) at most once a second.
	 */
	State current() {
		long nanos = System.nanoTime();
		if (nanos - this.refreshedAt >= REFRESH_NANOS) {
			this.refreshedAt = nanos;
			try {
				State stored = load();
				Optional<State> grown = this.allowance.afterQuiet(stored, this.clock.instant());
				if (grown.isPresent() && store(stored, grown.get())) {
					stored = grown.get();
				}
				this.current.set(stored);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not read the shared request budget: " + ex.getMessage());
			}
		}
		return this.current.get();
	}

	/**
	 * Whether {@link #current()} would read the shared row (a database round trip) now.
	 */
	boolean refreshDue() {
		return System.nanoTime() - this.refreshedAt >= REFRESH_NANOS;
	}

	/**
	 * Spotify answered 429: shrink the allowance, for every replica (once per burst of
	 * 429s).
	 */
	void rateLimited() {
		if (this.configured.unlimited()) {
			return;
		}
		try {
			State stored = load();
			Optional<State> decreased = this.allowance.afterRateLimit(stored, this.clock.instant());
			if (decreased.isPresent() && store(stored, decreased.get())) {
				this.decreases.increment();
				logger.warn("Spotify answered 429: the request budget is now " + decreased.get().allowed() + "/"
						+ this.configured.window().toSeconds() + "s (configured " + this.configured + ")");
				this.current.set(decreased.get());
			}
			else {
				this.current.set(load());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not decrease the shared request budget: " + ex.getMessage());
		}
	}

	/** Back to the configured request budget, for every replica: for tests. */
	void reset() {
		if (this.configured.unlimited()) {
			return;
		}
		State stored = load();
		State fresh = new State(this.configured.requests(), this.configured.requests(), stored.version() + 1,
				Instant.EPOCH, this.clock.instant());
		store(stored, fresh);
		this.current.set(fresh);
	}

	/** The shared row, created or reset to the configured request budget at start-up. */
	private State start() {
		Instant now = this.clock.instant();
		State stored = find().orElse(null);
		if (stored == null) {
			State initial = this.allowance.initial(now);
			try {
				this.jdbc
					.sql("insert into spotify_request_budget (name, configured, allowed, version, decreased_at, "
							+ "changed_at) values (?, ?, ?, ?, ?, ?)")
					.params(NAME, initial.configured(), initial.allowed(), initial.version(),
							Timestamp.from(initial.decreasedAt()), Timestamp.from(initial.changedAt()))
					.update();
				return initial;
			}
			catch (DuplicateKeyException raced) {
				stored = load();
			}
		}
		State reconciled = this.allowance.reconciled(stored, now);
		if (reconciled != stored && !store(stored, reconciled)) {
			return load();
		}
		return reconciled;
	}

	private State load() {
		return find().orElseThrow(() -> new IllegalStateException("no spotify_request_budget row"));
	}

	private Optional<State> find() {
		return this.jdbc
			.sql("select configured, allowed, version, decreased_at, changed_at from spotify_request_budget "
					+ "where name = ?")
			.param(NAME)
			.query((rs, i) -> new State(rs.getInt(1), rs.getInt(2), rs.getLong(3),
					rs.getObject(4, OffsetDateTime.class).toInstant(),
					rs.getObject(5, OffsetDateTime.class).toInstant()))
			.optional();
	}

	/** Compare-and-set on the version: of several replicas adapting at once, one wins. */
	private boolean store(State expected, State next) {
		return this.jdbc
			.sql("update spotify_request_budget set configured = ?, allowed = ?, version = ?, decreased_at = ?, "
					+ "changed_at = ? where name = ? and version = ?")
			.params(next.configured(), next.allowed(), next.version(), Timestamp.from(next.decreasedAt()),
					Timestamp.from(next.changedAt()), NAME, expected.version())
			.update() == 1;
	}

}
