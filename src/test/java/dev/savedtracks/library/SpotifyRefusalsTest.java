package dev.savedtracks.library;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.emulator.RequestRecord;
import dev.savedtracks.library.web.SavedTracksApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spotify refusing, as real Spotify does (issue 11): people missing from a
 * development-mode app's user list, an app owner whose Premium lapsed, quota 429s, bare
 * 429s with odd {@code Retry-After} values, and absurd counts. Each gives a reason a
 * caller can act on, and none a 500 or a loop of requests.
 */
class SpotifyRefusalsTest extends EmulatedSpotifyTest {

	@Test
	void personMissingFromTheUserListIsToldSoWhenNothingIsCached() {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		user.denyAccess(true);
		spotify.counters().reset();

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 403);

		assertThat(problem.get("type").asString()).endsWith(":spotify-access-denied");
		assertThat(problem.get("reason").asString()).isEqualTo("user-not-registered");
		assertThat(problem.get("detail").asString()).contains("development mode").contains("User Management");
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "User not approved for app", "User not registered in the Developer Dashboard" })
	void everyWordingOfTheUserListRefusalIsToldAsSuch(String wording) {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		user.denyAccess(wording);

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 403);

		assertThat(problem.get("reason").asString()).isEqualTo("user-not-registered");
	}

	@Test
	void cachedCopyOfAPersonSpotifyStartedRefusingIsServedMarkedAccessDenied() {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.denyAccess(true);

		HttpResponse<String> response = browser.api("/api/saved-tracks?refresh=true");

		assertThat(ids(read(response))).containsExactlyElementsOf(ids(user.library()));
		assertThat(response.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("spotify-access-denied");
		assertThat(read(browser.api("/api/me")).get("staleReason").asString()).isEqualTo("spotify-access-denied");
	}

	@Test
	void cachedCopyWhileTheAppOwnersPremiumHasLapsedIsServedMarkedAsSuch() {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		spotify.ownerPremiumLapsed(true);

		HttpResponse<String> response = browser.api("/api/saved-tracks?refresh=true");
		spotify.ownerPremiumLapsed(false);

		assertThat(ids(read(response))).containsExactlyElementsOf(ids(user.library()));
		assertThat(response.headers().firstValue(SavedTracksApi.STALE_HEADER))
			.hasValue("spotify-owner-premium-required");
		assertThat(read(browser.api("/api/me")).get("staleReason").asString())
			.isEqualTo("spotify-owner-premium-required");
	}

	@Test
	void appOwnersLapsedPremiumIsToldAsSuch() {
		EmulatedUser user = newUser(30);
		BrowserSession browser = signedIn(user);
		spotify.ownerPremiumLapsed(true);

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 403);

		assertThat(problem.get("reason").asString()).isEqualTo("owner-premium-required");
		assertThat(problem.get("detail").asString()).contains("Premium");
	}

	@Test
	void quotaExceededPausesEveryoneSoNoFurtherRequestReachesSpotify() {
		EmulatedUser first = newUser(60);
		EmulatedUser second = newUser(60);
		BrowserSession firstBrowser = signedIn(first);
		BrowserSession secondBrowser = signedIn(second);
		read(secondBrowser.api("/api/saved-tracks"));
		spotify.counters().reset();
		spotify.faults().next(Fault.quotaExceeded());

		JsonNode problem = problem(firstBrowser.api("/api/saved-tracks"), 503);
		HttpResponse<String> again = firstBrowser.api("/api/saved-tracks");
		HttpResponse<String> other = secondBrowser.api("/api/saved-tracks?refresh=true");

		assertThat(problem.get("type").asString()).endsWith(":spotify-quota-exceeded");
		assertThat(again.statusCode()).isEqualTo(503);
		assertThat(again.headers().firstValue("Retry-After")).isPresent();
		assertThat(other.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("spotify-quota-exceeded");
		assertThat(spotify.counters().tracksRequests()).as("only the request that was answered QUOTA_EXCEEDED")
			.isEqualTo(1);
	}

	@Test
	void bareRateLimitWithALowerCaseRetryAfterIsWaitedFor() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.bareRateLimited("1"), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		java.util.List<RequestRecord> log = spotify.counters().tracksRequestLog();
		RequestRecord limited = log.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
		RequestRecord retried = log.stream()
			.filter(r -> r.offset() == 50 && r.status() == 200)
			.findFirst()
			.orElseThrow();
		assertThat(retried.receivedAt()).isAfterOrEqualTo(limited.receivedAt().plusMillis(950));
	}

	@Test
	void retryAfterAsAnHttpDateIsWaitedFor() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.rateLimitedUntil(Instant.now().plusSeconds(2)), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(3 + 1);
	}

	@Test
	void absurdRetryAfterIsCappedAndAnsweredCleanly() {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		spotify.faults().next(Fault.bareRateLimited("1000000000000000"));

		HttpResponse<String> response = browser.api("/api/saved-tracks");

		JsonNode problem = problem(response, 503);
		assertThat(problem.get("type").asString()).endsWith(":spotify-rate-limited");
		assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L,
				Duration.ofDays(1).toSeconds());
	}

	@Test
	void garbageRetryAfterFallsBackToBackoff() {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		spotify.faults().next(Fault.bareRateLimited("soon, maybe"));

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
	}

	@Test
	void absurdCountIsAProtocolViolationNotAnOutOfMemoryError() {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		spotify.faults().nextTimes(10, Fault.hugeTotal(1_000_000_000_000L));

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 502);

		assertThat(problem.get("type").asString()).endsWith(":spotify-unavailable");
	}

	@Test
	void countJustAboveAnyRealLibraryIsRefusedToo() {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		spotify.faults().nextTimes(4, Fault.hugeTotal(2_000_000_000L));

		problem(browser.api("/api/saved-tracks"), 502);

		assertThat(read(browser.api("/api/saved-tracks")).get("total").asInt()).isEqualTo(60);
	}

	private static JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("dev.savedtracks");
		return json.readTree(response.body());
	}

}
