package dev.savedtracks.spotify.budget;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.SpotifySettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token bucket on H2: its shape, its burst, and how a 429 seen by one instance
 * changes the allowance every one uses.
 */
class TokenBucketLimiterTest {

	private final DriverManagerDataSource database = new DriverManagerDataSource(
			"jdbc:h2:mem:budget-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	TokenBucketLimiterTest() {
		Flyway.configure()
			.dataSource(this.database)
			.locations("classpath:db/migration/common", "classpath:db/migration/h2")
			.load()
			.migrate();
	}

	@Test
	void theBucketNeverAllowsMoreThanTheAllowanceWithinOneWindow() {
		for (int allowed : new int[] { 2, 3, 5, 10, 37, 150, 1500, 100_000 }) {
			TokenBucketLimiter.Shape shape = TokenBucketLimiter.shape(allowed, Duration.ofSeconds(30));

			assertThat(shape.capacity() + shape.refill()).as("burst + refill within one window of " + allowed)
				.isLessThanOrEqualTo(Math.max(2, allowed));
			assertThat(shape.capacity()).isPositive();
		}
		TokenBucketLimiter.Shape usual = TokenBucketLimiter.shape(150, Duration.ofSeconds(30));
		assertThat(usual.capacity() + usual.refill()).isEqualTo(147);
		TokenBucketLimiter.Shape fast = TokenBucketLimiter.shape(30, Duration.ofSeconds(2));
		assertThat(fast.capacity() + fast.refill()).as("a quarter second of 15 requests/s kept in reserve")
			.isEqualTo(26);
	}

	@Test
	void theBucketGrantsItsBurstThenMakesRequestsWait() {
		TokenBucketLimiter limiter = limiter("40/2s");

		int granted = 0;
		while (limiter.tryTake(Priority.INTERACTIVE) == 0) {
			granted++;
		}

		assertThat(granted).isEqualTo(TokenBucketLimiter.shape(40, Duration.ofSeconds(2)).capacity());
		assertThat(limiter.tryTake(Priority.INTERACTIVE)).isPositive();
	}

	@Test
	void backgroundWorkLeavesTheLastTokensToInteractiveWork() {
		TokenBucketLimiter limiter = limiter("100/10s");
		int capacity = TokenBucketLimiter.shape(100, Duration.ofSeconds(10)).capacity();

		int background = 0;
		while (limiter.tryTake(Priority.BACKGROUND) == 0) {
			background++;
		}

		assertThat(background).isLessThan(capacity);
		assertThat(limiter.tryTake(Priority.INTERACTIVE)).isZero();
	}

	@Test
	void aRateLimitSeenByOneInstanceShrinksTheAllowanceOfAll() {
		SharedAllowance one = allowance("40/2s");
		TokenBucketLimiter other = new TokenBucketLimiter(allowance("40/2s"), this.database);

		one.rateLimited();

		assertThat(one.allowed()).isEqualTo(28);
		assertThat(this.meters.get("spotify.budget.decreases").counter().count()).isEqualTo(1);
		assertThat(new JdbcClientProbe(this.database).allowed()).isEqualTo(28);
		other.reset();
		assertThat(other.allowed()).isEqualTo(40);
	}

	private TokenBucketLimiter limiter(String value) {
		return new TokenBucketLimiter(allowance(value), this.database);
	}

	private SharedAllowance allowance(String value) {
		SpotifySettings settings = new SpotifySettings("id", "secret", URI.create("http://127.0.0.1:1/accounts"),
				URI.create("http://127.0.0.1:1/webapi"), "", Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
				Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1), 8, value);
		return new SharedAllowance(settings, JdbcClient.create(this.database), Clock.systemUTC(), this.meters);
	}

	/** Reads the shared row as another replica would. */
	private record JdbcClientProbe(DriverManagerDataSource database) {

		int allowed() {
			return JdbcClient.create(this.database)
				.sql("select allowed from spotify_request_budget where name = 'spotify'")
				.query(Integer.class)
				.single();
		}

	}

}
