package dev.savedtracks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * Runs an end-to-end test ({@link EmulatedSpotifyTest}) with guards of production back on
 * that the shared context switches off, so that the other tests may ask Spotify as often
 * as they say: the app-wide request budget, the per-account recheck throttle and the
 * daily full syncs (all test-sized), with one thread starting syncs (a sync waiting for
 * permits must not hold it), and forwarded headers trusted, as behind the compose file's
 * proxy. Every class with this annotation shares one application context; one that needs
 * a setting of its own adds it here, if the others' tests do not mind it, rather than on
 * itself. Its tests are nested classes of {@code ProductionGuardsTest}, so that this
 * context starts in one test JVM only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestPropertySource(properties = { "library.min-recheck=" + ProductionGuards.MIN_RECHECK_SECONDS + "s",
		"library.max-full-syncs-per-day=" + ProductionGuards.MAX_FULL_SYNCS_PER_DAY,
		"server.forward-headers-strategy=native", "spotify.request-budget=" + ProductionGuards.BUDGET_REQUESTS + "/"
				+ ProductionGuards.BUDGET_WINDOW_SECONDS + "s",
		"library.max-concurrent-syncs=1" })
public @interface ProductionGuards {

	/** How long a caller's {@code refresh=true} waits for the next check of Spotify. */
	int MIN_RECHECK_SECONDS = 2;

	/** Full syncs of one library a day. */
	int MAX_FULL_SYNCS_PER_DAY = 1;

	/** Spotify requests of the whole application per budget window. */
	int BUDGET_REQUESTS = 40;

	/** The request budget's rolling window. */
	int BUDGET_WINDOW_SECONDS = 2;

}
