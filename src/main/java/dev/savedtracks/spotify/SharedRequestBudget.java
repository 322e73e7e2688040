package dev.savedtracks.spotify;

import java.sql.DatabaseMetaData;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.BudgetControl.State;

/**
 * The app-wide request budget: a token bucket that every replica draws from, kept by
 * Bucket4j in PostgreSQL (one row, updated under {@code SELECT ... FOR UPDATE}); with H2,
 * which serves one instance, a local Bucket4j bucket. Its size follows
 * {@link BudgetControl}, whose state is shared in the {@code spotify_request_budget} row,
 * so that a 429 seen by one replica slows them all and every replica grows back in step.
 */
@Component
class SharedRequestBudget implements Permits {

	private static final Log logger = LogFactory.getLog(SharedRequestBudget.class);

	private static final String NAME = "spotify";

	/** How often the shared state is read again (and grown back when due). */
	private static final long REFRESH_NANOS = 1_000_000_000L;

	private final RequestBudget configured;

	private final BudgetControl control;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final @Nullable ProxyManager<String> shared;

	private final AtomicReference<Current> current = new AtomicReference<>();

	private final Counter decreases;

	private volatile long refreshedAt = System.nanoTime();

	SharedRequestBudget(SpotifySettings settings, JdbcClient jdbc, DataSource dataSource, Clock clock,
			MeterRegistry meters) {
		this.configured = settings.budget();
		this.control = new BudgetControl(this.configured);
		this.jdbc = jdbc;
		this.clock = clock;
		this.shared = (this.configured.unlimited() || !isPostgres(dataSource)) ? null
				: Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
					.primaryKeyMapper(PrimaryKeyMapper.STRING)
					.table("spotify_request_bucket")
					.build();
		this.decreases = Counter.builder("spotify.budget.decreases")
			.description("Times a 429 shrank the app-wide request budget")
			.register(meters);
		if (!this.configured.unlimited()) {
			this.current.set(bucketFor(start()));
			Gauge.builder("spotify.budget.allowed", this, budget -> budget.allowed())
				.description("Spotify requests the app may make per budget window now (adapted after 429s)")
				.register(meters);
			Gauge.builder("spotify.budget.configured", this, budget -> budget.configured.requests())
				.description("SPOTIFY_REQUEST_BUDGET: requests per window at most")
				.register(meters);
			Gauge.builder("spotify.budget.window", this, budget -> budget.configured.window().toSeconds())
				.description("The budget's rolling window, in seconds")
				.register(meters);
		}
	}

	@Override
	public boolean unlimited() {
		return this.configured.unlimited();
	}

	@Override
	public java.time.Duration window() {
		return this.configured.window();
	}

	/** Requests allowed per window now. */
	int allowed() {
		Current now = this.current.get();
		return (now != null) ? now.state().allowed() : 0;
	}

	/**
	 * Takes a permit for one request if the budget has one now: interactive work takes
	 * any token, background work only while at least half the bucket's capacity is left,
	 * so that it uses budget that interactive work (on any replica) leaves idle.
	 * @return 0 when a permit was taken, else how many nanoseconds until one may be
	 */
	@Override
	public long tryTake(Priority priority) {
		refreshIfDue();
		Current now = this.current.get();
		if (priority == Priority.BACKGROUND) {
			long reserve = Math.max(1, now.shape().capacity() / 2);
			EstimationProbe estimate = now.bucket().estimateAbilityToConsume(reserve);
			if (!estimate.canBeConsumed()) {
				return Math.max(1, estimate.getNanosToWaitForRefill());
			}
		}
		ConsumptionProbe probe = now.bucket().tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
	}

	/**
	 * Back to the configured budget, for every replica, with a full bucket here: for
	 * tests.
	 */
	void reset() {
		if (unlimited()) {
			return;
		}
		State stored = load();
		State fresh = new State(this.configured.requests(), this.configured.requests(), stored.version() + 1,
				Instant.EPOCH, this.clock.instant());
		store(stored, fresh);
		apply(fresh);
		this.current.get().bucket().reset();
	}

	/**
	 * Spotify answered 429: shrink the budget, for every replica (once per burst of
	 * 429s).
	 */
	void rateLimited() {
		if (unlimited()) {
			return;
		}
		try {
			State stored = load();
			Optional<State> decreased = this.control.afterRateLimit(stored, this.clock.instant());
			if (decreased.isPresent() && store(stored, decreased.get())) {
				this.decreases.increment();
				logger.warn("Spotify answered 429: the request budget is now " + decreased.get().allowed() + "/"
						+ this.configured.window().toSeconds() + "s (configured " + this.configured + ")");
				apply(decreased.get());
			}
			else {
				apply(load());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not decrease the shared request budget: " + ex.getMessage());
		}
	}

	private void refreshIfDue() {
		long nanos = System.nanoTime();
		if (nanos - this.refreshedAt < REFRESH_NANOS) {
			return;
		}
		this.refreshedAt = nanos;
		try {
			State stored = load();
			Optional<State> grown = this.control.afterQuiet(stored, this.clock.instant());
			if (grown.isPresent() && store(stored, grown.get())) {
				stored = grown.get();
			}
			apply(stored);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the shared request budget: " + ex.getMessage());
		}
	}

	private void apply(State state) {
		Current now = this.current.get();
		if (now == null || state.version() != now.state().version()) {
			this.current.set(bucketFor(state));
		}
	}

	/** The budget's shared row, created or reset to the configured budget at start-up. */
	private State start() {
		Instant now = this.clock.instant();
		State stored = find().orElse(null);
		if (stored == null) {
			State initial = this.control.initial(now);
			try {
				this.jdbc
					.sql("insert into spotify_request_budget (name, configured, allowed, version, decreased_at, "
							+ "changed_at) values (?, ?, ?, ?, ?, ?)")
					.params(NAME, initial.configured(), initial.allowed(), initial.version(),
							Timestamp.from(initial.decreasedAt()), Timestamp.from(initial.changedAt()))
					.update();
				return initial;
			}
			catch (org.springframework.dao.DuplicateKeyException raced) {
				stored = load();
			}
		}
		State reconciled = this.control.reconciled(stored, now);
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
					rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
					rs.getObject(5, java.time.OffsetDateTime.class).toInstant()))
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

	private Current bucketFor(State state) {
		BudgetControl.Shape shape = BudgetControl.shape(state.allowed(), this.configured.window());
		Bandwidth limit = Bandwidth.builder()
			.capacity(shape.capacity())
			.refillGreedy(shape.refill(), shape.period())
			.build();
		BucketConfiguration configuration = BucketConfiguration.builder().addLimit(limit).build();
		Bucket bucket;
		if (this.shared != null) {
			// Every replica names the version it wants; Bucket4j replaces an older stored
			// configuration.
			bucket = this.shared.builder()
				.withImplicitConfigurationReplacement(state.version(), TokensInheritanceStrategy.AS_IS)
				.build(NAME, () -> configuration);
		}
		else {
			Current previous = this.current.get();
			if (previous != null) {
				previous.bucket().replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
				bucket = previous.bucket();
			}
			else {
				bucket = Bucket.builder().addLimit(limit).build();
			}
		}
		return new Current(state, shape, bucket);
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

	private record Current(State state, BudgetControl.Shape shape, Bucket bucket) {
	}

}
