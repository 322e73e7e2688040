package dev.savedtracks.spotify.budget;

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

import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.system.ProblemException;

/**
 * The pause Spotify asks for with 429 + {@code Retry-After}, app-wide. Spotify counts
 * requests per app, not per user, so one person's 429 holds back every request, in this
 * replica and (through the shared {@code rate_limit_pause} row) in every other one, until
 * the pause has passed.
 */
@Component
class RateLimitPause {

	private static final Log logger = LogFactory.getLog(RateLimitPause.class);

	/**
	 * Why requests pause: a 429 that asks for a pause, or one that says the app's quota
	 * is used up. Stored by name in the shared row.
	 */
	enum Why {

		RATE_LIMITED, QUOTA_EXCEEDED

	}

	/**
	 * How long a read of the shared row that found no pause stands for the requests that
	 * follow it on this replica. A 429 met here pauses this replica at once; one met by
	 * another replica holds this one back within this time (and a database read) instead
	 * of at its next request. That was never immediate anyway: a request that read the
	 * row before the 429 was shared went out when its permit came, often later than this.
	 * The budget's window, shared by every replica, does not depend on it. A sync's pages
	 * follow each other every few milliseconds: without it, each one read the row (and
	 * changed threads to do so) between an answer and the next request.
	 */
	static final Duration SHARED_READ_STANDS = Duration.ofMillis(200);

	private static final long SHARED_READ_STANDS_NANOS = SHARED_READ_STANDS.toNanos();

	private static final Until NONE = new Until(Instant.EPOCH, Why.RATE_LIMITED);

	private final AtomicReference<Until> paused = new AtomicReference<>(NONE);

	/**
	 * When the shared row was last read successfully ({@link System#nanoTime()}); a value
	 * far in the past before the first read.
	 */
	private volatile long sharedReadAt = System.nanoTime() - 2 * SHARED_READ_STANDS_NANOS;

	private final JdbcClient jdbc;

	private final Clock clock;

	RateLimitPause(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Extends the pause to at least {@code duration} from now (at most the longest
	 * {@code Retry-After}), here and for every replica.
	 */
	void pause(Duration duration, Why why) {
		Duration bounded = (duration.compareTo(ProblemException.MAX_RETRY_AFTER) > 0) ? ProblemException.MAX_RETRY_AFTER
				: duration;
		Instant until = this.clock.instant().plus(bounded);
		extend(new Until(until, why));
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

	/** Ends the pause now on this replica and in the shared row. */
	void resume() {
		this.paused.set(NONE);
		this.jdbc.sql("update rate_limit_pause set paused_until = ?, reason = null where name = 'spotify'")
			.param(Timestamp.from(Instant.EPOCH))
			.update();
	}

	/**
	 * How long until requests may go out again (as far as this replica knows); zero when
	 * there is no pause.
	 */
	Duration remaining() {
		return remainingUntil(this.paused.get().until());
	}

	/**
	 * Completes when no replica pauses any more; fails fast, saying why requests pause,
	 * when the pause exceeds {@code maxWait}.
	 */
	Mono<Void> over(Duration maxWait) {
		return Mono.defer(this::shared).flatMap(shared -> {
			extend(shared);
			Until pause = this.paused.get();
			Duration wait = remainingUntil(pause.until());
			if (wait.isZero()) {
				return Mono.just(Boolean.TRUE);
			}
			if (pause.why() == Why.QUOTA_EXCEEDED) {
				return Mono.error(new SpotifyQuotaExceeded(wait));
			}
			if (wait.compareTo(maxWait) > 0) {
				return Mono.error(new SpotifyRateLimited(wait));
			}
			// Then look again: another 429 may have extended the pause meanwhile.
			return Mono.delay(wait).then(Mono.<Boolean>empty());
		}).repeatWhenEmpty(again -> again).then();
	}

	private void extend(Until pause) {
		this.paused.accumulateAndGet(pause, (a, b) -> a.until().isAfter(b.until()) ? a : b);
	}

	/**
	 * The shared pause: read from the database (off the caller's thread), unless a read
	 * less than {@link #SHARED_READ_STANDS} ago found none and none began here since.
	 */
	private Mono<Until> shared() {
		if (remaining().isZero() && System.nanoTime() - this.sharedReadAt < SHARED_READ_STANDS_NANOS) {
			return Mono.just(NONE);
		}
		return Mono.fromCallable(this::sharedPause).subscribeOn(Schedulers.boundedElastic());
	}

	private Until sharedPause() {
		try {
			long readAt = System.nanoTime();
			Until shared = this.jdbc.sql("select paused_until, reason from rate_limit_pause where name = 'spotify'")
				.query((rs, i) -> new Until(rs.getTimestamp(1).toInstant(),
						"QUOTA_EXCEEDED".equals(rs.getString(2)) ? Why.QUOTA_EXCEEDED : Why.RATE_LIMITED))
				.optional()
				.orElse(NONE);
			this.sharedReadAt = readAt;
			return shared;
		}
		catch (RuntimeException ex) {
			// The database being unreachable must not stop syncs that the local pause
			// allows.
			return NONE;
		}
	}

	private Duration remainingUntil(Instant until) {
		Duration left = Duration.between(this.clock.instant(), until);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/** Until when requests pause, and why. */
	private record Until(Instant until, Why why) {
	}

}
