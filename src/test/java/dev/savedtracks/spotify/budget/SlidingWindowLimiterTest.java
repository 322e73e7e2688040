package dev.savedtracks.spotify.budget;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.savedtracks.spotify.SpotifySettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sliding window on H2 (in memory): a whole window's permits at once, never more in
 * any rolling window, the newcomers' reserve, and how a 429 seen by one instance changes
 * the allowance every one uses.
 */
class SlidingWindowLimiterTest {

	private final DriverManagerDataSource database = new DriverManagerDataSource(
			"jdbc:h2:mem:budget-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	SlidingWindowLimiterTest() {
		Flyway.configure()
			.dataSource(this.database)
			.locations("classpath:db/migration/common", "classpath:db/migration/h2")
			.load()
			.migrate();
	}

	@Test
	void theWindowKeepsAMarginForJitterBelowTheAllowance() {
		assertThat(SlidingWindowLimiter.usable(150, Duration.ofSeconds(30))).isEqualTo(147);
		assertThat(SlidingWindowLimiter.usable(30, Duration.ofSeconds(2))).as("a quarter second of 15 requests/s")
			.isEqualTo(26);
		assertThat(SlidingWindowLimiter.reserve(147)).isEqualTo(4);
		for (int allowed : new int[] { 2, 3, 5, 10, 37, 150, 1500, 100_000 }) {
			int usable = SlidingWindowLimiter.usable(allowed, Duration.ofSeconds(30));
			assertThat(usable).isBetween(Math.min(2, allowed), Math.max(2, allowed));
			assertThat(SlidingWindowLimiter.reserve(usable)).isBetween(1, Math.max(1, usable - 1));
		}
	}

	@Test
	void aWholeWindowOfPermitsGoesAtOnceThenRequestsWaitForTheOldestToLeave() {
		SlidingWindowLimiter limiter = limiter("150/30s");

		int granted = 0;
		while (limiter.tryTake(0) == 0) {
			granted++;
		}

		assertThat(granted).isEqualTo(147);
		assertThat(Duration.ofNanos(limiter.tryTake(0))).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(32));
	}

	@Test
	void theLastPermitsOfAWindowAreLeftToNewcomers() {
		SlidingWindowLimiter limiter = limiter("150/30s");
		int reserve = limiter.reserve();

		int heavy = 0;
		while (limiter.tryTake(reserve) == 0) {
			heavy++;
		}
		int newcomers = 0;
		while (limiter.tryTake(0) == 0) {
			newcomers++;
		}

		assertThat(heavy).isEqualTo(147 - reserve);
		assertThat(newcomers).isEqualTo(reserve);
	}

	@Test
	void aGrantWaitsUntilEnoughOfTheOldestSlotsHaveLeftTheWindow() {
		NavigableMap<Long, Integer> granted = new TreeMap<>();
		granted.put(10L, 3);
		granted.put(20L, 2);

		assertThat(WindowSlots.waitMillis(granted, 25_500, 1000, 6)).isZero();
		assertThat(WindowSlots.waitMillis(granted, 25_500, 1000, 5)).as("slot 10 leaves at 42 s").isEqualTo(16_500);
		assertThat(WindowSlots.waitMillis(granted, 25_500, 1000, 2)).as("slot 20 leaves at 52 s").isEqualTo(26_500);
		assertThat(WindowSlots.waitMillis(granted, 41_999, 1000, 5)).isEqualTo(1);
		assertThat(WindowSlots.waitMillis(granted, 42_000, 1000, 5)).isZero();
	}

	@Test
	void aGrantOfALongWindowCountsASecondOrTwoBeyondItForRequestsThatReachSpotifyLate() {
		long slot = WindowSlots.slotMillis(30_000);

		assertThat(WindowSlots.span(slot) * slot).as("counted at least this long after the grant, at most a slot more")
			.isEqualTo(31_000);
		assertThat(WindowSlots.span(WindowSlots.slotMillis(2000))).as("a short window keeps its half-second guard")
			.isEqualTo(29 + 8);
	}

	@Test
	void noRollingWindowEverHoldsMoreGrantsThanTheBudget() throws Exception {
		SlidingWindowLimiter limiter = limiter("40/1s");

		GrantChecker checker = GrantChecker.run(Duration.ofMillis(3500), 4, limiter);

		checker.assertNoWindowHoldsMoreThan(40, Duration.ofSeconds(1));
		assertThat(checker.grants()).as("a window of 30 usable permits, and again after the window and its guard")
			.isGreaterThan(2 * 30);
	}

	@Test
	void aRateLimitSeenByOneInstanceShrinksTheAllowanceOfAll() {
		SharedAllowance one = allowance("40/2s");
		SlidingWindowLimiter other = new SlidingWindowLimiter(allowance("40/2s"), this.database);

		one.rateLimited();

		assertThat(one.allowed()).isEqualTo(28);
		assertThat(this.meters.get("spotify.budget.decreases").counter().count()).isEqualTo(1);
		assertThat(JdbcClient.create(this.database)
			.sql("select allowed from spotify_request_budget where name = 'spotify'")
			.query(Integer.class)
			.single()).isEqualTo(28);
		other.reset();
		assertThat(other.allowed()).isEqualTo(40);
	}

	private SlidingWindowLimiter limiter(String value) {
		return new SlidingWindowLimiter(allowance(value), this.database);
	}

	private SharedAllowance allowance(String value) {
		return allowance(value, this.database, this.meters);
	}

	static SharedAllowance allowance(String value, javax.sql.DataSource database, SimpleMeterRegistry meters) {
		SpotifySettings settings = new SpotifySettings("id", "secret", URI.create("http://127.0.0.1:1/accounts"),
				URI.create("http://127.0.0.1:1/webapi"), "", Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
				Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1), 8, value, Duration.ofSeconds(2),
				Duration.ofSeconds(30));
		return new SharedAllowance(settings, JdbcClient.create(database), Clock.systemUTC(), meters);
	}

}
