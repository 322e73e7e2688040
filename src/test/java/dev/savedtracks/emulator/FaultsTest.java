package dev.savedtracks.emulator;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import static dev.savedtracks.emulator.EmulatorClient.HTTP;
import static dev.savedtracks.emulator.EmulatorClient.JSON;
import static dev.savedtracks.emulator.EmulatorClient.REDIRECT_URI;
import static dev.savedtracks.emulator.EmulatorClient.assertApiError;
import static dev.savedtracks.emulator.EmulatorClient.get;
import static dev.savedtracks.emulator.EmulatorClient.json;
import static dev.savedtracks.emulator.EmulatorClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves that injected faults reach the wire exactly as documented on Fault and Faults. */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the build.
@Timeout(10)
class FaultsTest {

	private SpotifyEmulator emulator;

	private EmulatorClient client;

	@BeforeEach
	void startEmulator() {
		this.emulator = SpotifyEmulator.start().allowRedirectUri(REDIRECT_URI);
		this.client = new EmulatorClient(this.emulator);
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void statusAndRateLimitFaultsAnswerSpotifyErrors() throws Exception {
		this.emulator.user("alice").generateLibrary(3);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults()
			.next(Fault.status(503))
			.next(Fault.rateLimited(7))
			.next(Fault.rateLimitedWithoutRetryAfter())
			.next(Fault.quotaExceeded())
			.next(Fault.expiredToken());

		assertApiError(get(this.client.tracksUrl(0, 50), token), 503, "Service unavailable");
		HttpResponse<String> limited = get(this.client.tracksUrl(0, 50), token);
		assertApiError(limited, 429, "API rate limit exceeded");
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
		HttpResponse<String> noRetryAfter = get(this.client.tracksUrl(0, 50), token);
		assertThat(noRetryAfter.statusCode()).isEqualTo(429);
		assertThat(noRetryAfter.headers().firstValue("Retry-After")).isEmpty();
		HttpResponse<String> quota = get(this.client.tracksUrl(0, 50), token);
		assertThat(quota.statusCode()).isEqualTo(429);
		assertThat(quota.headers().firstValue("Retry-After")).hasValue("30");
		assertThat(json(quota).path("error").path("reason").stringValue()).isEqualTo("QUOTA_EXCEEDED");
		assertApiError(get(this.client.tracksUrl(0, 50), token), 401, "The access token expired");
		assertThat(get(this.client.tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
		assertThat(this.emulator.counters().tracksRequestLog()).extracting(RequestRecord::status)
			.containsExactly(503, 429, 429, 429, 401, 200);
	}

	@Test
	void truncatedBodyCutsTheConnectionBeforeContentLengthIsReached() throws Exception {
		this.emulator.user("alice").generateLibrary(50);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults().next(Fault.truncatedBody());

		// Asynchronously with a deadline: HttpClient's request timeout stops at the headers, not the body.
		CompletableFuture<HttpResponse<String>> cut = HTTP.sendAsync(request(this.client.tracksUrl(0, 50), token).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> cut.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(IOException.class);
		assertThat(get(this.client.tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
	}

	@Test
	void malformedJsonIsAnUnparsable200() throws Exception {
		this.emulator.user("alice").generateLibrary(5);
		this.emulator.faults().next(Fault.malformedJson());

		HttpResponse<String> response = get(this.client.tracksUrl(0, 50), this.emulator.issueAccessToken("alice"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(JacksonException.class);
	}

	@Test
	void foreignNextLinkAndEmptyPageWithNextFalsifyThePage() throws Exception {
		this.emulator.user("alice").generateLibrary(120);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults().next(Fault.foreignNextLink()).next(Fault.emptyPageWithNext());

		JsonNode foreign = json(get(this.client.tracksUrl(50, 50), token));
		assertThat(foreign.path("next").stringValue()).startsWith("https://evil.example.net/v1/me/tracks?offset=100");
		assertThat(foreign.path("items").size()).isEqualTo(50);

		JsonNode empty = json(get(this.client.tracksUrl(0, 50), token));
		assertThat(empty.path("items").size()).isZero();
		assertThat(empty.path("total").asInt()).isEqualTo(120);
		assertThat(empty.path("next").stringValue()).isEqualTo(this.client.tracksUrl(50, 50));
	}

	@Test
	void delayFaultAnswersNormallyButLate() throws Exception {
		this.emulator.user("alice").generateLibrary(5);
		this.emulator.faults().next(Fault.delay(Duration.ofMillis(300)));
		String token = this.emulator.issueAccessToken("alice");

		long start = System.nanoTime();
		HttpResponse<String> response = get(this.client.tracksUrl(0, 50), token);

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(json(response).path("total").asInt()).isEqualTo(5);
	}

	@Test
	void offsetFaultsTakePrecedenceOverTheQueueAndRunOutAfterTheirCount() throws Exception {
		this.emulator.user("alice").generateLibrary(120);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults().nextTimes(2, Fault.status(500)).atOffset(50, Fault.status(502), 2);

		assertThat(get(this.client.tracksUrl(50, 50), token).statusCode()).isEqualTo(502);
		assertThat(get(this.client.tracksUrl(0, 50), token).statusCode()).isEqualTo(500);
		assertThat(get(this.client.tracksUrl(50, 50), token).statusCode()).isEqualTo(502);
		assertThat(get(this.client.tracksUrl(50, 50), token).statusCode()).isEqualTo(500);
		assertThat(get(this.client.tracksUrl(50, 50), token).statusCode()).isEqualTo(200);

		this.emulator.faults().next(Fault.status(500));
		this.emulator.faults().clear();
		assertThat(get(this.client.tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
	}

	@Test
	void afterRequestHookRunsOnceWithTheOffsetAndIsVisibleToTheNextRequest() throws Exception {
		EmulatedUser user = this.emulator.user("alice").generateLibrary(60);
		String token = this.emulator.issueAccessToken("alice");
		List<Integer> offsets = new CopyOnWriteArrayList<>();
		this.emulator.faults().afterRequest((offset) -> {
			offsets.add(offset);
			user.saveNewTracks(3);
		});

		JsonNode first = json(get(this.client.tracksUrl(0, 50), token));
		JsonNode second = json(get(this.client.tracksUrl(50, 50), token));

		assertThat(offsets).containsExactly(0);
		assertThat(first.path("total").asInt()).isEqualTo(60);
		assertThat(second.path("total").asInt()).isEqualTo(63);
	}

}
