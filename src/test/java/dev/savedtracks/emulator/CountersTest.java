package dev.savedtracks.emulator;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.savedtracks.emulator.EmulatorClient.HTTP;
import static dev.savedtracks.emulator.EmulatorClient.get;
import static dev.savedtracks.emulator.EmulatorClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Proves that the emulator counts and logs requests, concurrent ones included. */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the
// build.
@Timeout(10)
class CountersTest {

	@RegisterExtension
	final RunningEmulator running = new RunningEmulator();

	@Test
	void parallelRequestsWithLatencyOverlapAndAreCounted() throws Exception {
		this.running.emulator().user("alice").generateLibrary(400);
		this.running.emulator().latency(Duration.ofMillis(200));
		String token = this.running.emulator().issueAccessToken("alice");

		long start = System.nanoTime();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int page = 0; page < 8; page++) {
			responses.add(HTTP.sendAsync(request(this.running.client().tracksUrl(page * 50, 50), token).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		CompletableFuture.allOf(responses.toArray(new CompletableFuture<?>[0])).join();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		assertThat(elapsed).isLessThan(Duration.ofMillis(8 * 200));
		Counters counters = this.running.emulator().counters();
		assertThat(counters.tracksRequests()).isEqualTo(8);
		assertThat(counters.maxConcurrentTracksRequests()).isGreaterThanOrEqualTo(2);
		assertThat(counters.maxConcurrentTracksRequests("alice")).isEqualTo(counters.maxConcurrentTracksRequests());
		assertThat(counters.maxConcurrentTracksRequests("bob")).isZero();
		assertThat(counters.tracksRequestLog()).hasSize(8)
			.allSatisfy((record) -> assertThat(record.limit()).isEqualTo(50))
			.extracting(RequestRecord::offset)
			.containsExactlyInAnyOrder(0, 50, 100, 150, 200, 250, 300, 350);

		counters.reset();
		assertThat(counters.tracksRequests()).isZero();
		assertThat(counters.maxConcurrentTracksRequests()).isZero();
		assertThat(counters.maxConcurrentTracksRequests("alice")).isZero();
		assertThat(counters.tracksRequestLog()).isEmpty();
	}

	@Test
	void tracksRequestsAreCountedAndLoggedPerUserWhateverTheirOutcome() throws Exception {
		this.running.emulator().user("alice").generateLibrary(3);
		this.running.emulator().user("bob").generateLibrary(3);
		String alice = this.running.emulator().issueAccessToken("alice");
		String bob = this.running.emulator().issueAccessToken("bob");
		this.running.emulator().faults().next(Fault.status(503));

		get(this.running.client().tracksUrl(0, 50), alice);
		get(this.running.client().tracksUrl(0, 50), bob);
		get(this.running.client().tracksUrl(0, 50), "BQnot-a-real-token");
		get(this.running.client().tracksUrl(0, 50), null);
		get(this.running.emulator().apiUrl() + "/v1/me", alice);
		this.running.emulator().expireAccessTokens();
		get(this.running.client().tracksUrl(0, 50), alice);

		Counters counters = this.running.emulator().counters();
		assertThat(counters.tracksRequests("alice")).isEqualTo(2);
		assertThat(counters.tracksRequests("bob")).isEqualTo(1);
		assertThat(counters.tracksRequests("carol")).isZero();
		assertThat(counters.tracksRequests()).isEqualTo(5);
		assertThat(counters.tracksRequestLog()).extracting(RequestRecord::userId, RequestRecord::status)
			.containsExactly(tuple("alice", 503), tuple("bob", 200), tuple(null, 401), tuple(null, 401),
					tuple("alice", 401));
		counters.reset();
		assertThat(counters.tracksRequests("alice")).isZero();
	}

}
