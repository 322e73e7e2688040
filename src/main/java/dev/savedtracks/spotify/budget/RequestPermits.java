package dev.savedtracks.spotify.budget;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifySettings;

/**
 * The one door to the request budget: every Spotify Web API request (a page of a sync, a
 * retry, the sign-in's {@code GET /v1/me}) takes a permit here first, and every 429 is
 * reported here. A permit comes after the app-wide pause that a 429 asks for, and then
 * from the {@link FairRequestScheduler fair scheduler}, which takes it from the
 * {@link Limiter} that keeps the whole fleet within the allowance.
 */
@Component
public class RequestPermits {

	/** How long every request pauses after a quota 429 that named no Retry-After. */
	private static final Duration QUOTA_PAUSE = Duration.ofMinutes(1);

	private final RateLimitPause pause;

	private final FairRequestScheduler scheduler;

	private final SharedAllowance allowance;

	/** The pauses after 429s that name no usable Retry-After: 1 s, doubled, jittered. */
	private final ExponentialBackOff withoutRetryAfter;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Counter pauses;

	RequestPermits(RateLimitPause pause, FairRequestScheduler scheduler, SharedAllowance allowance,
			SpotifySettings settings, Clock clock, MeterRegistry meters) {
		this.pause = pause;
		this.scheduler = scheduler;
		this.allowance = allowance;
		this.clock = clock;
		this.withoutRetryAfter = new ExponentialBackOff(1000, 2);
		this.withoutRetryAfter.setMaxInterval(settings.maxRateLimitWait().toMillis());
		this.withoutRetryAfter.setJitter(500);
		this.meters = meters;
		this.pauses = Counter.builder("spotify.rate_limit.pauses")
			.description("429 answers that paused every Spotify request of the app")
			.register(meters);
	}

	/**
	 * Completes with {@code beforePermit}'s value when {@code requester} may send one
	 * request now: after the app-wide pause (failing fast with {@link SpotifyRateLimited}
	 * when it lasts longer than {@code maxPause}, or with {@link SpotifyQuotaExceeded})
	 * and {@code beforePermit} (work that must not stand between the permit and the
	 * request, such as reading the access token: what Spotify counts is when requests
	 * arrive), which run side by side (both may read the database: a first request does
	 * not wait for one read after the other), then a permit. A pause that began while the
	 * request waited for its permit is waited out too, and a new permit taken.
	 * @param beforePermit must give a value; it is subscribed to again for each new
	 * permit
	 */
	public <T> Mono<T> permit(Requester requester, Duration maxPause, Mono<T> beforePermit) {
		return Mono.zip(this.pause.over(maxPause).thenReturn(Boolean.TRUE), beforePermit, (over, value) -> value)
			.flatMap(value -> this.scheduler.permit(requester)
				.then(Mono.fromSupplier(() -> this.pause.remaining().isZero() ? value : null)))
			.repeatWhenEmpty(pausedMeanwhile -> pausedMeanwhile);
	}

	/**
	 * Blocks, for a Web API call made with another client (sign-in's {@code GET /v1/me}),
	 * until it may be sent, so that it obeys a 429 and counts against the request budget
	 * like every other call.
	 * @throws SpotifyRateLimited when no permit came within {@code maxWait}, or the pause
	 * lasts longer
	 * @throws SpotifyQuotaExceeded when the app's quota is reported used up
	 */
	public void awaitPermit(Requester requester, Duration maxWait) {
		try {
			permit(requester, maxWait, Mono.just(Boolean.TRUE)).block(maxWait);
		}
		catch (IllegalStateException timedOut) {
			throw new SpotifyRateLimited(maxWait);
		}
	}

	/**
	 * Spotify answered 429: every request of the app pauses (on every replica) as long as
	 * the answer asks, or, when it names no usable {@code Retry-After}, for a backoff
	 * that grows with {@code rateLimitsSoFar} (the 429s this request has met already);
	 * and unless the app's quota is used up, the allowance shrinks.
	 */
	public Pause rateLimited(HttpHeaders headers, byte[] body, int rateLimitsSoFar) {
		TooManyRequests answer = TooManyRequests.read(headers.getFirst(HttpHeaders.RETRY_AFTER), body,
				this.clock.instant());
		this.pauses.increment();
		if (answer.quotaExceeded()) {
			// Waiting seconds does not help, but every request of the app pauses all
			// the same.
			Duration length = (answer.retryAfter() != null) ? answer.retryAfter() : QUOTA_PAUSE;
			this.pause.pause(length, RateLimitPause.Why.QUOTA_EXCEEDED);
			return new Pause(length, true);
		}
		// Retry-After: 0 (Spotify has sent it) is no invitation to ask again at once: the
		// window is still closed, so it pauses like the first step of the backoff.
		Duration length = (answer.retryAfter() == null) ? backOff(rateLimitsSoFar)
				: (answer.retryAfter().isZero()) ? backOff(0) : answer.retryAfter();
		this.pause.pause(length, RateLimitPause.Why.RATE_LIMITED);
		// The allowance was too high for Spotify now: shrink it (off the event loop: it
		// is a database update).
		Schedulers.boundedElastic().schedule(this.allowance::rateLimited);
		return new Pause(length, false);
	}

	/**
	 * Spotify answered 429 to a Web API call made with another client (sign-in's
	 * {@code GET /v1/me}): counted as a request's outcome, and taken as a 429 to a page.
	 */
	public void rateLimitedElsewhere(HttpHeaders headers, byte[] body) {
		Counter.builder("spotify.requests")
			.description("Requests to the Spotify Web API by outcome")
			.tag("outcome", "429")
			.register(this.meters)
			.increment();
		rateLimited(headers, body, 0);
	}

	/**
	 * How long until requests may go out again, as far as this replica knows; zero when
	 * nothing pauses.
	 */
	public Duration pauseRemaining() {
		return this.pause.remaining();
	}

	/**
	 * Ends the app-wide pause now, on this replica and in the shared database (other
	 * replicas end theirs when it lapses): for tests, and for an operator who resolved a
	 * quota problem with Spotify.
	 */
	public void resume() {
		this.pause.resume();
	}

	/** The {@code n}-th pause (from 0) for 429s without a usable Retry-After. */
	private Duration backOff(int n) {
		BackOffExecution execution = this.withoutRetryAfter.start();
		long millis = execution.nextBackOff();
		for (int i = 0; i < n; i++) {
			millis = execution.nextBackOff();
		}
		return Duration.ofMillis(millis);
	}

	/**
	 * The app-wide pause a 429 began.
	 *
	 * @param length how long every request pauses
	 * @param quotaExceeded whether the app's quota is reported used up: waiting does not
	 * help, so the request that met it is not retried
	 */
	public record Pause(Duration length, boolean quotaExceeded) {
	}

}
