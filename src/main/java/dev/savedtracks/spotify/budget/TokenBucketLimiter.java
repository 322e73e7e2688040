package dev.savedtracks.spotify.budget;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.Locale;
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
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.budget.Allowance.State;

/**
 * The limiter as a token bucket that every replica draws from, kept by Bucket4j in
 * PostgreSQL (one row, updated under {@code SELECT ... FOR UPDATE}); with H2, which
 * serves one instance, a local Bucket4j bucket. The bucket is reshaped whenever the
 * {@link SharedAllowance allowance} changes.
 */
@Component
class TokenBucketLimiter implements Limiter {

	private static final String NAME = "spotify";

	private final SharedAllowance allowance;

	private final @Nullable ProxyManager<String> shared;

	private final AtomicReference<@Nullable Current> current = new AtomicReference<>();

	TokenBucketLimiter(SharedAllowance allowance, DataSource dataSource) {
		this.allowance = allowance;
		this.shared = (allowance.configured().unlimited() || !isPostgres(dataSource)) ? null
				: Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
					.primaryKeyMapper(PrimaryKeyMapper.STRING)
					.table("spotify_request_bucket")
					.build();
		if (!unlimited()) {
			this.current.set(bucketFor(allowance.current()));
		}
	}

	@Override
	public boolean unlimited() {
		return this.allowance.configured().unlimited();
	}

	@Override
	public Duration window() {
		return this.allowance.configured().window();
	}

	/** Requests allowed per window now. */
	int allowed() {
		return this.allowance.allowed();
	}

	/**
	 * Takes a permit for one request if the bucket has one now: interactive work takes
	 * any token, background work only while at least half the bucket's capacity is left,
	 * so that it uses budget that interactive work (on any replica) leaves idle.
	 * @return 0 when a permit was taken, else how many nanoseconds until one may be
	 */
	@Override
	public long tryTake(Priority priority) {
		Current now = shapedFor(this.allowance.current());
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
	 * Back to the configured request budget, for every replica, with a full bucket here:
	 * for tests.
	 */
	void reset() {
		if (unlimited()) {
			return;
		}
		this.allowance.reset();
		shapedFor(this.allowance.current()).bucket().reset();
	}

	/**
	 * The token bucket that keeps {@code allowed} requests per window:
	 * {@code capacity + refill <= allowed} bounds the requests granted in any window of
	 * that length. A margin absorbs the jitter between granting a request and its arrival
	 * at Spotify (a database round trip, a busy thread): what a quarter of a second of
	 * the allowance's pace sends, and at least 2 % of it and one request. The capacity, a
	 * tenth, lets a person's first pages go out at once; the rest is spread evenly over
	 * the window.
	 */
	static Shape shape(int allowed, Duration window) {
		long jitter = (long) Math.ceil(allowed * 250.0 / Math.max(1, window.toMillis()));
		int margin = (int) Math.max(Math.max(1, (allowed + 49) / 50), jitter);
		int usable = Math.max(2, allowed - margin);
		int capacity = Math.max(1, usable / 10);
		return new Shape(capacity, Math.max(1, usable - capacity), window);
	}

	/** The bucket shaped for {@code state}, reshaped when the allowance has changed. */
	private Current shapedFor(State state) {
		Current now = this.current.get();
		if (now == null || state.version() != now.state().version()) {
			now = bucketFor(state);
			this.current.set(now);
		}
		return now;
	}

	private Current bucketFor(State state) {
		Shape shape = shape(state.allowed(), window());
		Bandwidth limit = Bandwidth.builder()
			.capacity(shape.capacity())
			.refillGreedy(shape.refill(), shape.window())
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

	/**
	 * A token bucket: {@code capacity} tokens, refilled by {@code refill} per
	 * {@code window}, evenly.
	 */
	record Shape(int capacity, int refill, Duration window) {
	}

	private record Current(State state, Shape shape, Bucket bucket) {
	}

}
