package dev.savedtracks.spotify;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The app-wide pause Spotify asks for with 429 + {@code Retry-After}. Spotify counts requests per app, not per
 * user, so one person's 429 holds back every sync, in this replica and (through the shared database) in every
 * other one, until the pause has passed.
 */
@Component
public class SpotifyRateLimitGate {

	private static final Log logger = LogFactory.getLog(SpotifyRateLimitGate.class);

	private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);

	private final JdbcClient jdbc;

	private final Clock clock;

	SpotifyRateLimitGate(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Extends the pause to at least {@code duration} from now, here and for every replica. */
	void pause(Duration duration) {
		Instant until = this.clock.instant().plus(duration);
		this.pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
		try {
			this.jdbc.sql("update rate_limit_pause set paused_until = ? where name = 'spotify' and paused_until < ?")
				.params(Timestamp.from(until), Timestamp.from(until))
				.update();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not share the Spotify rate-limit pause with other replicas: " + ex.getMessage());
		}
	}

	/** How long until requests may go out again (as far as this replica knows); zero when open. */
	public Duration remaining() {
		return remainingUntil(this.pausedUntil.get());
	}

	/** Completes when the gate is open for every replica; fails fast when the pause exceeds {@code maxWait}. */
	Mono<Void> whenOpen(Duration maxWait) {
		return Mono.fromCallable(this::sharedPause).subscribeOn(Schedulers.boundedElastic()).flatMap(shared -> {
			this.pausedUntil.accumulateAndGet(shared, (a, b) -> a.isAfter(b) ? a : b);
			Duration wait = remaining();
			if (wait.isZero()) {
				return Mono.<Void>empty();
			}
			if (wait.compareTo(maxWait) > 0) {
				return Mono.error(new SpotifyRateLimited(wait));
			}
			return Mono.delay(wait).then(whenOpen(maxWait));
		});
	}

	private Instant sharedPause() {
		try {
			return this.jdbc.sql("select paused_until from rate_limit_pause where name = 'spotify'")
				.query(Timestamp.class)
				.optional()
				.map(Timestamp::toInstant)
				.orElse(Instant.EPOCH);
		}
		catch (RuntimeException ex) {
			// The database being unreachable must not stop syncs that the local pause allows.
			return Instant.EPOCH;
		}
	}

	private Duration remainingUntil(Instant until) {
		Duration left = Duration.between(this.clock.instant(), until);
		return left.isNegative() ? Duration.ZERO : left;
	}

}
