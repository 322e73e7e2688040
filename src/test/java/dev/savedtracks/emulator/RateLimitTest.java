package dev.savedtracks.emulator;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.savedtracks.emulator.EmulatorClient.assertApiError;
import static dev.savedtracks.emulator.EmulatorClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Proves that the app-wide rolling-window rate limit counts every user's Web API requests
 * together.
 */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the
// build.
@Timeout(10)
class RateLimitTest {

	@RegisterExtension
	final RunningEmulator running = new RunningEmulator();

	private String alice;

	private String bob;

	@BeforeEach
	void aliceAndBobWithTokens() {
		this.running.emulator().user("alice").generateLibrary(3);
		this.running.emulator().user("bob").generateLibrary(3);
		this.alice = this.running.emulator().issueAccessToken("alice");
		this.bob = this.running.emulator().issueAccessToken("bob");
	}

	@Test
	void requestBeyondTheLimitOfTheAppIsRefusedWithRetryAfterUntilTheOldestLeavesTheWindow() throws Exception {
		this.running.emulator().rateLimit(3, Duration.ofSeconds(10));

		assertThat(get(this.running.client().tracksUrl(0, 50), this.alice).statusCode()).isEqualTo(200);
		assertThat(get(this.running.client().tracksUrl(0, 50), this.bob).statusCode()).isEqualTo(200);
		assertThat(get(this.running.emulator().apiUrl() + "/v1/me", this.alice).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = get(this.running.client().tracksUrl(50, 50), this.bob);
		HttpResponse<String> refusedMe = get(this.running.emulator().apiUrl() + "/v1/me", this.alice);

		assertApiError(refused, 429, "API rate limit exceeded");
		// The oldest request is at most a few seconds old, so between 8 and 10 whole
		// seconds remain (rounded up).
		assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(8, 10);
		assertApiError(refusedMe, 429, "API rate limit exceeded");
		Counters counters = this.running.emulator().counters();
		assertThat(counters.rateLimitedRequests()).isEqualTo(2);
		assertThat(counters.tracksRequestLog()).extracting(RequestRecord::offset, RequestRecord::status)
			.containsExactly(tuple(0, 200), tuple(0, 200), tuple(50, 429));
		assertThat(counters.tracksRequests("bob")).isEqualTo(2);
	}

	@Test
	void windowRollsSoThatWaitingRetryAfterIsEnough() throws Exception {
		this.running.emulator().rateLimit(2, Duration.ofSeconds(2));
		assertThat(get(this.running.client().tracksUrl(0, 50), this.alice).statusCode()).isEqualTo(200);
		assertThat(get(this.running.client().tracksUrl(0, 50), this.bob).statusCode()).isEqualTo(200);

		HttpResponse<String> refused = get(this.running.client().tracksUrl(0, 50), this.alice);
		int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
		Thread.sleep(1000L * retryAfter);
		HttpResponse<String> afterWaiting = get(this.running.client().tracksUrl(0, 50), this.alice);

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(retryAfter).isBetween(1, 2);
		assertThat(afterWaiting.statusCode()).isEqualTo(200);
		assertThat(this.running.emulator().counters().rateLimitedRequests()).isEqualTo(1);
	}

	@Test
	void refusedRequestConsumesNoFaultAndRunsNoHook() throws Exception {
		this.running.emulator().rateLimit(1, Duration.ofSeconds(30));
		assertThat(get(this.running.emulator().apiUrl() + "/v1/me", this.alice).statusCode()).isEqualTo(200);
		this.running.emulator()
			.faults()
			.next(Fault.status(503))
			.afterRequest((offset) -> this.running.emulator().user("alice").clearLibrary());

		HttpResponse<String> refused = get(this.running.client().tracksUrl(0, 50), this.alice);
		this.running.emulator().noRateLimit();

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(this.running.emulator().user("alice").library()).hasSize(3);
		assertThat(get(this.running.client().tracksUrl(0, 50), this.alice).statusCode()).isEqualTo(503);
		assertThat(this.running.emulator().user("alice").library()).isEmpty();
	}

	@Test
	void zeroRequestsOrNoRateLimitTurnsTheLimitOff() throws Exception {
		this.running.emulator().rateLimit(1, Duration.ofSeconds(30));
		assertThat(get(this.running.client().tracksUrl(0, 50), this.alice).statusCode()).isEqualTo(200);
		assertThat(get(this.running.client().tracksUrl(0, 50), this.alice).statusCode()).isEqualTo(429);

		this.running.emulator().rateLimit(0, Duration.ofSeconds(30));

		for (int i = 0; i < 5; i++) {
			assertThat(get(this.running.client().tracksUrl(0, 50), this.alice).statusCode()).isEqualTo(200);
		}
		this.running.emulator().rateLimit(1, Duration.ofSeconds(30)).noRateLimit();
		for (int i = 0; i < 5; i++) {
			assertThat(get(this.running.client().tracksUrl(0, 50), this.bob).statusCode()).isEqualTo(200);
		}
		assertThat(this.running.emulator().counters().rateLimitedRequests()).isEqualTo(1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.running.emulator().rateLimit(-1, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.running.emulator().rateLimit(5, Duration.ZERO));
	}

}
