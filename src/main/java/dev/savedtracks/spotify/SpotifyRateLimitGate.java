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
 * The app-wide pause Spotify asks for with 429 + {@code Retry-After}. Spotify counts
 * requests per app, not per user, so one person's 429 holds back every sync, in this
 * replica and (through the shared database) in every other one, until the pause has
 * passed.
 */
@Component
public class SpotifyRateLimitGate {

	private static final Log logger = LogFactory.getLog(SpotifyRateLimitGate.class);

	/**
	 * Why calls pause: a 429 that asks for a pause, or one that says the app's quota is
	 * used up.
	 */
	enum Why {

		RATE_LIMITED, QUOTA_EXCEEDED

	}

	private final AtomicReference<Pause> paused = new AtomicReference<>(new Pause(Instant.EPOCH, Why.RATE_LIMITED));

	private final JdbcClient jdbc;

	private final Clock clock;

	SpotifyRateLimitGate(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Extends the pause to at least {@code duration} from now (at most a day), here and
	 * for every replica.
	 */
	void pause(Duration duration, Why why) {
		Duration bounded = (duration.compareTo(SpotifyClient.MAX_RETRY_AFTER) > 0) ? SpotifyClient.MAX_RETRY_AFTER
				: duration;
		Instant until = this.clock.instant().plus(bounded);
		extend(new Pause(until, why));
		try {
			this.jdbc.sql(
					"update rate_limit_pause set paused_until = ?, reason = ? where name = 'spotify' and paused_until < ?")
				.params(Timestamp.from(until), why.name(), Timestamp.from(until))
				.update();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not share the Spotify rate-limit pause with other replicas: " + ex.getMessage());
		}
	}

	/**
	 * Ends the pause now on this replica and in the shared database (other replicas end
	 * theirs when it lapses): for tests, and for an operator who resolved a quota problem
	 * with Spotify.
	 */
	public void resume() {
		this.paused.set(new Pause(Instant.EPOCH, Why.RATE_LIMITED));
		this.jdbc.sql("update rate_limit_pause set paused_until = ?, reason = null where name = 'spotify'")
			.param(Timestamp.from(Instant.EPOCH))
			.update();
	}

	/**
	 * How long until requests may go out again (as far as this replica knows); zero when
	 * open.
	 */
	public Duration remaining() {
		return remainingUntil(this.paused.get().until());
	}

	/**
	 * Completes when the gate is open for every replica; fails fast, saying why calls
	 * pause, when the pause exceeds {@code maxWait}.
	 */
	Mono<Void> whenOpen(Duration maxWait) {
		return Mono.fromCallable(this::sharedPause).subscribeOn(Schedulers.boundedElastic()).flatMap(shared -> {
			extend(shared);
			Pause pause = this.paused.get();
			Duration wait = remainingUntil(pause.until());
			if (wait.isZero()) {
				return Mono.<Void>empty();
			}
			if (pause.why() == Why.QUOTA_EXCEEDED) {
				return Mono.error(new SpotifyQuotaExceeded(wait));
			}
			if (wait.compareTo(maxWait) > 0) {
				return Mono.error(new SpotifyRateLimited(wait));
			}
			return Mono.delay(wait).then(whenOpen(maxWait));
		});
	}

	private void extend(Pause pause) {
		this.paused.accumulateAndGet(pause, (a, b) -> a.until().isAfter(b.until()) ? a : b);
	}

	private Pause sharedPause() {
		try {
			return this.jdbc.sql("select paused_until, reason from rate_limit_pause where name = 'spotify'")
				.query((rs, i) -> new Pause(rs.getTimestamp(1).toInstant(),
						"QUOTA_EXCEEDED".equals(rs.getString(2)) ? Why.QUOTA_EXCEEDED : Why.RATE_LIMITED))
				.optional()
				.orElse(new Pause(Instant.EPOCH, Why.RATE_LIMITED));
		}
		catch (RuntimeException ex) {
			// The database being unreachable must not stop syncs that the local pause
			// allows.
			return new Pause(Instant.EPOCH, Why.RATE_LIMITED);
		}
	}

	private Duration remainingUntil(Instant until) {
		Duration left = Duration.between(this.clock.instant(), until);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/** Until when calls pause, and why. */
	private record Pause(Instant until, Why why) {
	}

}
