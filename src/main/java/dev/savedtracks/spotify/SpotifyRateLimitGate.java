package dev.savedtracks.spotify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The app-wide pause Spotify asks for with 429 + {@code Retry-After}. Spotify counts requests per app, not per
 * user, so one person's 429 holds back every sync in this process until the pause has passed.
 */
@Component
public class SpotifyRateLimitGate {

	private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);

	private final Clock clock;

	SpotifyRateLimitGate(Clock clock) {
		this.clock = clock;
	}

	/** Extends the pause to at least {@code duration} from now. */
	void pause(Duration duration) {
		Instant until = this.clock.instant().plus(duration);
		this.pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
	}

	/** How long until requests may go out again; zero when open. */
	public Duration remaining() {
		Duration left = Duration.between(this.clock.instant(), this.pausedUntil.get());
		return left.isNegative() ? Duration.ZERO : left;
	}

	/** Completes when the gate is open; fails fast when the pause is longer than {@code maxWait}. */
	Mono<Void> whenOpen(Duration maxWait) {
		return Mono.defer(() -> {
			Duration wait = remaining();
			if (wait.isZero()) {
				return Mono.empty();
			}
			if (wait.compareTo(maxWait) > 0) {
				return Mono.error(new SpotifyRateLimited(wait));
			}
			return Mono.delay(wait).then(whenOpen(maxWait));
		});
	}

}
