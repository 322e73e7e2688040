package dev.savedtracks.spotify;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared budget on H2: its bucket, and how a 429 seen by one instance changes the
 * budget every one uses.
 */
class SharedRequestBudgetTest {

	private final DriverManagerDataSource database = new DriverManagerDataSource(
			"jdbc:h2:mem:budget-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	SharedRequestBudgetTest() {
		Flyway.configure()
			.dataSource(this.database)
			.locations("classpath:db/migration/common", "classpath:db/migration/h2")
			.load()
			.migrate();
	}

	@Test
	void theBucketGrantsItsBurstThenMakesRequestsWait() {
		SharedRequestBudget budget = budget("40/2s");

		int granted = 0;
		while (budget.tryTake(Priority.INTERACTIVE) == 0) {
			granted++;
		}

		assertThat(granted).isEqualTo(BudgetControl.shape(40, Duration.ofSeconds(2)).capacity());
		assertThat(budget.tryTake(Priority.INTERACTIVE)).isPositive();
	}

	@Test
	void backgroundWorkLeavesTheLastTokensToInteractiveWork() {
		SharedRequestBudget budget = budget("100/10s");
		int capacity = BudgetControl.shape(100, Duration.ofSeconds(10)).capacity();

		int background = 0;
		while (budget.tryTake(Priority.BACKGROUND) == 0) {
			background++;
		}

		assertThat(background).isLessThan(capacity);
		assertThat(budget.tryTake(Priority.INTERACTIVE)).isZero();
	}

	@Test
	void aRateLimitSeenByOneInstanceShrinksTheBudgetOfAll() {
		SharedRequestBudget one = budget("40/2s");
		SharedRequestBudget other = budget("40/2s");

		one.rateLimited();

		assertThat(one.allowed()).isEqualTo(28);
		assertThat(this.meters.get("spotify.budget.decreases").counter().count()).isEqualTo(1);
		assertThat(new JdbcClientProbe(this.database).allowed()).isEqualTo(28);
		other.reset();
		assertThat(other.allowed()).isEqualTo(40);
	}

	private SharedRequestBudget budget(String value) {
		SpotifySettings settings = new SpotifySettings("id", "secret", URI.create("http://127.0.0.1:1/accounts"),
				URI.create("http://127.0.0.1:1/webapi"), "", Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
				Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1), 8, value);
		return new SharedRequestBudget(settings, JdbcClient.create(this.database), this.database, Clock.systemUTC(),
				this.meters);
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
