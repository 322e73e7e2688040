package dev.savedtracks.spotify.budget;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.savedtracks.OnPostgres;
import dev.savedtracks.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sliding window shared through PostgreSQL: two limiters (two replicas) on one
 * database together never grant more than the budget in any rolling window, and together
 * get as many permits as one would alone.
 */
@OnPostgres
class SharedWindowOnPostgresTest {

	@Test
	void twoReplicasTogetherNeverGrantMoreThanTheBudgetInAnyRollingWindow() throws Exception {
		DriverManagerDataSource database = new DriverManagerDataSource(PostgresDatabase.jdbcUrl(),
				PostgresDatabase.username(), PostgresDatabase.password());
		Flyway.configure()
			.dataSource(database)
			.locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
			.load()
			.migrate();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		SlidingWindowLimiter one = new SlidingWindowLimiter(
				SlidingWindowLimiterTest.allowance("40/1s", database, meters), database);
		SlidingWindowLimiter two = new SlidingWindowLimiter(
				SlidingWindowLimiterTest.allowance("40/1s", database, meters), database);
		one.reset();

		GrantChecker checker = GrantChecker.run(Duration.ofMillis(3500), 2, one, two);

		checker.assertNoWindowHoldsMoreThan(40, Duration.ofSeconds(1));
		// At least the first window's 30 and some of the next (a busy machine slows the
		// database's round trips: three windows' worth is not assured in 3.5 s), at most
		// four windows' worth.
		assertThat(checker.grants()).as("a window of 30 usable permits, shared, and again after the window")
			.isBetween(30 + 1, 4 * 30);
	}

}
