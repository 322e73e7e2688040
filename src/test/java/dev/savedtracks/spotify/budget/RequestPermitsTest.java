package dev.savedtracks.spotify.budget;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.http.HttpHeaders;

import dev.savedtracks.TestDatabases;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.budget.RequestPermits.Pause;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The door to the request budget, in virtual time: a 429's {@code Retry-After} holds
 * every request for as long as it asks, a longer pause than a request may wait fails it
 * at once, and a 429 without a usable {@code Retry-After} pauses for a growing backoff.
 */
class RequestPermitsTest {

	private static final Requester ALICE = Requester.of("alice", Priority.INTERACTIVE);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(15);

	private static DataSource database;

	private VirtualTimeScheduler time;

	private RequestPermits permits;

	@BeforeAll
	static void migrate() {
		database = TestDatabases.migratedH2();
	}

	@BeforeEach
	void start() {
		this.time = VirtualTimeScheduler.getOrSet();
		this.permits = TestRequestPermits.of(settings(), database, new VirtualClock(this.time),
				new SimpleMeterRegistry());
		this.permits.resume();
	}

	@AfterEach
	void stop() {
		this.permits.resume();
		VirtualTimeScheduler.reset();
	}

	@Test
	void aRateLimitHoldsEveryRequestForTheRetryAfterItAsks() {
		Pause pause = this.permits.rateLimited(retryAfter("10"), new byte[0], 0);

		assertThat(pause).isEqualTo(new Pause(Duration.ofSeconds(10), false));
		StepVerifier
			.withVirtualTime(() -> this.permits.permit(ALICE, MAX_PAUSE, Mono.just("token")), () -> this.time,
					Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(9_999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("token")
			.verifyComplete();
	}

	@Test
	void theWorkBeforeThePermitRunsWhileThePauseIsReadAndWaitedOutNotAfterIt() {
		this.permits.rateLimited(retryAfter("10"), new byte[0], 0);
		List<Long> readAt = new ArrayList<>();

		StepVerifier.withVirtualTime(() -> this.permits.permit(ALICE, MAX_PAUSE, Mono.fromSupplier(() -> {
			readAt.add(this.time.now(TimeUnit.MILLISECONDS));
			return "token";
		})), () -> this.time, Long.MAX_VALUE)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(9_999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("token")
			.verifyComplete();
		assertThat(readAt).containsExactly(0L);
	}

	@Test
	void aPauseLongerThanARequestMayWaitFailsItAtOnce() {
		this.permits.rateLimited(retryAfter("3600"), new byte[0], 0);

		StepVerifier
			.withVirtualTime(() -> this.permits.permit(ALICE, MAX_PAUSE, Mono.just("token")), () -> this.time,
					Long.MAX_VALUE)
			.expectErrorSatisfies(error -> assertThat(error).isInstanceOf(SpotifyRateLimited.class)
				.satisfies(limited -> assertThat(((SpotifyRateLimited) limited).retryAfter())
					.isEqualTo(Duration.ofHours(1))))
			.verify();
		assertThat(this.permits.pauseRemaining()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void anExhaustedQuotaFailsEveryRequestWhileItsPauseLasts() {
		Pause pause = this.permits.rateLimited(new HttpHeaders(),
				"{\"error\":{\"status\":429,\"reason\":\"QUOTA_EXCEEDED\"}}".getBytes(StandardCharsets.UTF_8), 0);

		assertThat(pause).isEqualTo(new Pause(Duration.ofMinutes(1), true));
		StepVerifier
			.withVirtualTime(() -> this.permits.permit(ALICE, MAX_PAUSE, Mono.just("token")), () -> this.time,
					Long.MAX_VALUE)
			.expectError(SpotifyQuotaExceeded.class)
			.verify();
	}

	@Test
	void aPauseThatBeginsWhileARequestWaitsHoldsItToo() {
		this.permits.rateLimited(retryAfter("5"), new byte[0], 0);

		StepVerifier
			.withVirtualTime(() -> this.permits.permit(ALICE, MAX_PAUSE, Mono.just("token")), () -> this.time,
					Long.MAX_VALUE)
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(4))
			.then(() -> this.permits.rateLimited(retryAfter("5"), new byte[0], 0))
			.thenAwait(Duration.ofSeconds(1))
			.expectNoEvent(Duration.ofMillis(3_999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("token")
			.verifyComplete();
	}

	@Test
	void withoutAUsableRetryAfterThePauseGrowsWithEach429UpToTheLongestARequestWaits() {
		Duration first = this.permits.rateLimited(retryAfter("soon"), new byte[0], 0).length();
		Duration third = this.permits.rateLimited(new HttpHeaders(), new byte[0], 2).length();
		Duration tenth = this.permits.rateLimited(new HttpHeaders(), new byte[0], 9).length();

		assertThat(first).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
		assertThat(third).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
		assertThat(tenth).isBetween(MAX_PAUSE.dividedBy(2), MAX_PAUSE);
	}

	private static HttpHeaders retryAfter(String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("retry-after", value);
		return headers;
	}

	private static SpotifySettings settings() {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"),
				URI.create("https://api.spotify.com"), "", Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
				Duration.ofMillis(200), Duration.ofSeconds(5), MAX_PAUSE, 8, "unlimited", Duration.ofSeconds(2),
				Duration.ofSeconds(30));
	}

	/** The virtual time of the test's scheduler, as a clock. */
	private static final class VirtualClock extends Clock {

		private final VirtualTimeScheduler time;

		VirtualClock(VirtualTimeScheduler time) {
			this.time = time;
		}

		@Override
		public Instant instant() {
			return Instant.EPOCH.plusMillis(this.time.now(TimeUnit.MILLISECONDS)).plusSeconds(1_800_000_000L);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
