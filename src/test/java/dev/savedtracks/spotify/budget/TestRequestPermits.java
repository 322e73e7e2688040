package dev.savedtracks.spotify.budget;

import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import dev.savedtracks.spotify.SpotifySettings;

/**
 * The request budget wired by hand, for tests of its callers that do not start the
 * application.
 */
public final class TestRequestPermits {

	private TestRequestPermits() {
	}

	/**
	 * The door to the request budget that {@code settings} describe, on a migrated
	 * database.
	 */
	public static RequestPermits of(SpotifySettings settings, DataSource database, Clock clock, MeterRegistry meters) {
		JdbcClient jdbc = JdbcClient.create(database);
		SharedAllowance allowance = new SharedAllowance(settings, jdbc, clock, meters);
		ThreadPoolTaskScheduler dispatcher = new BudgetConfiguration().spotifyPermitDispatcher();
		dispatcher.initialize();
		FairRequestScheduler scheduler = new FairRequestScheduler(new SlidingWindowLimiter(allowance, database),
				dispatcher, meters);
		return new RequestPermits(new RateLimitPause(jdbc, clock), scheduler, allowance, settings, clock, meters);
	}

}
