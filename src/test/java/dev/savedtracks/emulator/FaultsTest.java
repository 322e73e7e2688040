package dev.savedtracks.emulator;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import static dev.savedtracks.emulator.EmulatorClient.HTTP;
import static dev.savedtracks.emulator.EmulatorClient.JSON;
import static dev.savedtracks.emulator.EmulatorClient.assertApiError;
import static dev.savedtracks.emulator.EmulatorClient.get;
import static dev.savedtracks.emulator.EmulatorClient.json;
import static dev.savedtracks.emulator.EmulatorClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that injected faults reach the wire exactly as documented on Fault and Faults.
 */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the
// build.
@Timeout(10)
class FaultsTest {

	@RegisterExtension
	final RunningEmulator running = new RunningEmulator();

	@Test
	void statusAndRateLimitFaultsAnswerSpotifyErrors() throws Exception {
		this.running.emulator().user("alice").generateLibrary(3);
		String token = this.running.emulator().issueAccessToken("alice");
		this.running.emulator()
			.faults()
			.next(Fault.status(503))
			.next(Fault.rateLimited(7))
			.next(Fault.rateLimitedWithoutRetryAfter())
			.next(Fault.quotaExceeded())
			.next(Fault.expiredToken());

		assertApiError(get(this.running.client().tracksUrl(0, 50), token), 503, "Service unavailable");
		HttpResponse<String> limited = get(this.running.client().tracksUrl(0, 50), token);
		assertApiError(limited, 429, "API rate limit exceeded");
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
		HttpResponse<String> noRetryAfter = get(this.running.client().tracksUrl(0, 50), token);
		assertThat(noRetryAfter.statusCode()).isEqualTo(429);
		assertThat(noRetryAfter.headers().firstValue("Retry-After")).isEmpty();
		HttpResponse<String> quota = get(this.running.client().tracksUrl(0, 50), token);
		assertThat(quota.statusCode()).isEqualTo(429);
		assertThat(quota.headers().firstValue("Retry-After")).hasValue("30");
		assertThat(json(quota).path("error").path("reason").stringValue()).isEqualTo("QUOTA_EXCEEDED");
		assertApiError(get(this.running.client().tracksUrl(0, 50), token), 401, "The access token expired");
		assertThat(get(this.running.client().tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
		assertThat(this.running.emulator().counters().tracksRequestLog()).extracting(RequestRecord::status)
			.containsExactly(503, 429, 429, 429, 401, 200);
	}

	@Test
	void truncatedBodyCutsTheConnectionBeforeContentLengthIsReached() throws Exception {
		this.running.emulator().user("alice").generateLibrary(50);
		String token = this.running.emulator().issueAccessToken("alice");
		this.running.emulator().faults().next(Fault.truncatedBody());

		// Asynchronously with a deadline: HttpClient's request timeout stops at the
		// headers, not the body.
		CompletableFuture<HttpResponse<String>> cut = HTTP.sendAsync(
				request(this.running.client().tracksUrl(0, 50), token).build(), HttpResponse.BodyHandlers.ofString());
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> cut.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(IOException.class);
		assertThat(get(this.running.client().tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
	}

	@Test
	void malformedJsonIsAnUnparsable200() throws Exception {
		this.running.emulator().user("alice").generateLibrary(5);
		this.running.emulator().faults().next(Fault.malformedJson());

		HttpResponse<String> response = get(this.running.client().tracksUrl(0, 50),
				this.running.emulator().issueAccessToken("alice"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(JacksonException.class);
	}

	@Test
	void foreignNextLinkAndEmptyPageWithNextFalsifyThePage() throws Exception {
		this.running.emulator().user("alice").generateLibrary(120);
		String token = this.running.emulator().issueAccessToken("alice");
		this.running.emulator().faults().next(Fault.foreignNextLink()).next(Fault.emptyPageWithNext());

		JsonNode foreign = json(get(this.running.client().tracksUrl(50, 50), token));
		assertThat(foreign.path("next").stringValue()).startsWith("https://evil.example.net/v1/me/tracks?offset=100");
		assertThat(foreign.path("items").size()).isEqualTo(50);

		JsonNode empty = json(get(this.running.client().tracksUrl(0, 50), token));
		assertThat(empty.path("items").size()).isZero();
		assertThat(empty.path("total").asInt()).isEqualTo(120);
		assertThat(empty.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(50, 50));
	}

	@Test
	void delayFaultAnswersNormallyButLate() throws Exception {
		this.running.emulator().user("alice").generateLibrary(5);
		this.running.emulator().faults().next(Fault.delay(Duration.ofMillis(300)));
		String token = this.running.emulator().issueAccessToken("alice");

		long start = System.nanoTime();
		HttpResponse<String> response = get(this.running.client().tracksUrl(0, 50), token);

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(json(response).path("total").asInt()).isEqualTo(5);
	}

	@Test
	void offsetFaultsTakePrecedenceOverTheQueueAndRunOutAfterTheirCount() throws Exception {
		this.running.emulator().user("alice").generateLibrary(120);
		String token = this.running.emulator().issueAccessToken("alice");
		this.running.emulator().faults().nextTimes(2, Fault.status(500)).atOffset(50, Fault.status(502), 2);

		assertThat(get(this.running.client().tracksUrl(50, 50), token).statusCode()).isEqualTo(502);
		assertThat(get(this.running.client().tracksUrl(0, 50), token).statusCode()).isEqualTo(500);
		assertThat(get(this.running.client().tracksUrl(50, 50), token).statusCode()).isEqualTo(502);
		assertThat(get(this.running.client().tracksUrl(50, 50), token).statusCode()).isEqualTo(500);
		assertThat(get(this.running.client().tracksUrl(50, 50), token).statusCode()).isEqualTo(200);

		this.running.emulator().faults().next(Fault.status(500));
		this.running.emulator().faults().clear();
		assertThat(get(this.running.client().tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
	}

	@Test
	void afterRequestHookRunsOnceWithTheOffsetAndIsVisibleToTheNextRequest() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(60);
		String token = this.running.emulator().issueAccessToken("alice");
		List<Integer> offsets = new CopyOnWriteArrayList<>();
		this.running.emulator().faults().afterRequest((offset) -> {
			offsets.add(offset);
			user.saveNewTracks(3);
		});

		JsonNode first = json(get(this.running.client().tracksUrl(0, 50), token));
		JsonNode second = json(get(this.running.client().tracksUrl(50, 50), token));

		assertThat(offsets).containsExactly(0);
		assertThat(first.path("total").asInt()).isEqualTo(60);
		assertThat(second.path("total").asInt()).isEqualTo(63);
	}

	@Test
	void hooksAfterCountedAnswersRunInTurnBesideTheAfterRequestHook() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(60);
		String token = this.running.emulator().issueAccessToken("alice");
		List<String> ran = new CopyOnWriteArrayList<>();
		this.running.emulator().faults().afterAnswers(2, (offset) -> {
			ran.add("second at " + offset);
			user.saveNewTracks(2);
		}).afterAnswers(1, (offset) -> {
			ran.add("first at " + offset);
			user.saveNewTracks(1);
		}).afterRequest((offset) -> ran.add("after request at " + offset));

		List<Integer> totals = new ArrayList<>();
		for (int offset : new int[] { 0, 50, 0 }) {
			totals.add(json(get(this.running.client().tracksUrl(offset, 50), token)).path("total").asInt());
		}

		assertThat(ran).containsExactly("after request at 0", "first at 0", "second at 50");
		assertThat(totals).as("each answer computed before its hooks ran").containsExactly(60, 61, 63);
	}

	@Test
	void bareRateLimitHasNoBodyAndCarriesTheRawRetryAfterValue() throws Exception {
		this.running.emulator().user("alice").generateLibrary(3);
		String token = this.running.emulator().issueAccessToken("alice");
		List<String> values = List.of("2", "Wed, 21 Oct 2026 07:28:00 GMT", "1000000000000000", "soon, maybe", "-1");
		values.forEach((value) -> this.running.emulator().faults().next(Fault.bareRateLimited(value)));

		for (String value : values) {
			HttpResponse<String> limited = get(this.running.client().tracksUrl(0, 50), token);

			assertThat(limited.statusCode()).isEqualTo(429);
			assertThat(limited.body()).isEmpty();
			assertThat(limited.headers().firstValue("Content-Type")).isEmpty();
			assertThat(limited.headers().allValues("retry-after")).containsExactly(value);
		}
		assertThat(get(this.running.client().tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Fault.bareRateLimited("1\r\nX-Injected: yes"));
	}

	@Test
	void rateLimitedUntilAnswersRetryAfterAsAnHttpDate() throws Exception {
		this.running.emulator().user("alice").generateLibrary(3);
		Instant until = Instant.parse("2026-11-06T08:49:37.250Z");
		this.running.emulator().faults().next(Fault.rateLimitedUntil(until));

		HttpResponse<String> limited = get(this.running.client().tracksUrl(0, 50),
				this.running.emulator().issueAccessToken("alice"));

		assertApiError(limited, 429, "API rate limit exceeded");
		String retryAfter = limited.headers().firstValue("Retry-After").orElseThrow();
		assertThat(retryAfter).isEqualTo("Fri, 06 Nov 2026 08:49:37 GMT");
		assertThat(ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
			.isEqualTo(Instant.parse("2026-11-06T08:49:37Z"));
		assertThat(Fault.rateLimitedUntil(Instant.parse("2027-01-03T00:00:00Z"))).isInstanceOfSatisfying(
				Fault.RateLimitedUntil.class,
				(fault) -> assertThat(fault.httpDate()).isEqualTo("Sun, 03 Jan 2027 00:00:00 GMT"));
	}

	@Test
	void hugeTotalReportsANumberBeyondAnIntOnAnOtherwiseNormalPage() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(3);
		String token = this.running.emulator().issueAccessToken("alice");
		this.running.emulator()
			.faults()
			.next(Fault.hugeTotal(1_000_000_000_000L))
			.next(Fault.hugeTotal(2_000_000_000L));

		JsonNode trillion = json(get(this.running.client().tracksUrl(0, 50), token));
		JsonNode billions = json(get(this.running.client().tracksUrl(0, 50), token));

		assertThat(trillion.path("total").isIntegralNumber()).isTrue();
		assertThat(trillion.path("total").asLong()).isEqualTo(1_000_000_000_000L);
		assertThat(trillion.path("items").size()).isEqualTo(3);
		assertThat(trillion.path("items").path(0).path("track").path("id").stringValue())
			.isEqualTo(user.library().get(0).id());
		assertThat(trillion.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(50, 50));
		assertThat(billions.path("total").asLong()).isEqualTo(2_000_000_000L);
		assertThat(json(get(this.running.client().tracksUrl(0, 50), token)).path("total").asLong()).isEqualTo(3);
	}

}
