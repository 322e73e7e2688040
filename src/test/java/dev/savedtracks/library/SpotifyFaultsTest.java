package dev.savedtracks.library;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.emulator.RequestRecord;
import dev.savedtracks.library.web.SavedTracksApi;
import dev.savedtracks.spotify.budget.RequestPermits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * How {@code GET /api/saved-tracks} copes with Spotify misbehaving: rate limits, quota,
 * 5xx, broken bodies, hostile links, refused access and expired tokens, plus the
 * concurrency that keeps syncs cheap and independent.
 * <p>
 * Spotify refusing, as real Spotify does (issue 11): people missing from a
 * development-mode app's user list, an app owner whose Premium lapsed, quota 429s, bare
 * 429s with odd {@code Retry-After} values, and absurd counts. Each gives a reason a
 * caller can act on, and none a 500 or a loop of requests.
 */
class SpotifyFaultsTest extends EmulatedSpotifyTest {

	/**
	 * Tolerance for comparing instants taken by the emulator and the application on the
	 * same machine.
	 */
	private static final Duration SLACK = Duration.ofMillis(50);

	/** {@code spotify.max-retries} left at its default in the test settings. */
	private static final int MAX_RETRIES = 3;

	@Autowired
	private RequestPermits permits;

	@Test
	void coldSyncRequestsPagesConcurrentlyWithinTheConfiguredBound() {
		EmulatedUser user = newUser(1000);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.latency(Duration.ofMillis(100));

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(20);
		// This person's requests only: a request of an earlier test's person may still be
		// waiting in the emulator.
		assertThat(spotify.counters().maxConcurrentTracksRequests(user.id())).isBetween(2, 4);
	}

	@Test
	void rateLimitedPageIsRetriedOnlyAfterRetryAfterHasPassed() {
		EmulatedUser user = newUser(100);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.rateLimited(1), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		List<RequestRecord> log = spotify.counters().tracksRequestLog();
		assertThat(log).extracting(RequestRecord::offset, RequestRecord::status)
			.containsExactly(tuple(0, 200), tuple(50, 429), tuple(50, 200));
		Instant limitedAt = log.get(1).receivedAt();
		assertThat(log.get(2).receivedAt()).as("retry after Retry-After: 1")
			.isAfterOrEqualTo(limitedAt.plusSeconds(1).minus(SLACK));
	}

	@Test
	void retryAfterZeroIsTakenAsTheMinimumBackoffNotAsAnInvitationToAskAtOnce() {
		EmulatedUser user = newUser(100);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.rateLimitedRetryAfterZero(Duration.ofMillis(800)), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		List<RequestRecord> log = spotify.counters().tracksRequestLog();
		assertThat(log).extracting(RequestRecord::offset, RequestRecord::status)
			.containsExactly(tuple(0, 200), tuple(50, 429), tuple(50, 200));
		assertThat(log.get(2).receivedAt()).isAfterOrEqualTo(log.get(1).receivedAt().plusSeconds(1).minus(SLACK));
	}

	@Test
	void nextLinksOutsideTheApiAreNeverFollowedAndDoNotFailTheSync() {
		// What an operator whose SPOTIFY_API_URL is an egress proxy sees on every page.
		EmulatedUser user = newUser(200);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().nextTimes(4, Fault.foreignNextLink());

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(4);
	}

	@Test
	void aBurstOfServerErrorsInTheMiddleOfALongSyncIsWaitedOutNotThrownAway() {
		EmulatedUser user = newUser(1500);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		// Longer than a page's own retries (tens of milliseconds here), shorter than the
		// sync's pauses of OUTAGE_PAUSE doubled up to MAX_OUTAGE_PAUSE (at least 1.7 s
		// before the sixth failure in a row would end it).
		spotify.faults().burst(8, Duration.ofSeconds(1), 503, 0);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).as("30 pages, and the retries of those in flight")
			.isLessThan(30 * 2);
	}

	@Test
	void aServerErrorsRetryAfterIsHonouredByALongSync() {
		EmulatedUser user = newUser(1500);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		// Retry-After longer than the burst, and than MAX_OUTAGE_PAUSE (the longest pause
		// the sync would choose itself).
		spotify.faults().burst(8, Duration.ofSeconds(2), 503, 3);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		List<RequestRecord> log = spotify.counters().tracksRequestLog();
		Instant burstStart = log.stream()
			.filter(record -> record.status() == 503)
			.map(RequestRecord::receivedAt)
			.min(Instant::compareTo)
			.orElseThrow();
		// Once the burst is over Spotify answers at once: a page asked for then, before
		// the
		// Retry-After ran out, did not wait for it. (Within the burst, a request that
		// arrived as it began may still have been answered 200.)
		assertThat(log)
			.filteredOn(record -> record.status() == 200 && record.receivedAt().isAfter(burstStart.plusSeconds(2)))
			.isNotEmpty()
			.allSatisfy(record -> assertThat(record.receivedAt()).as("not before the 3 s asked for")
				.isAfterOrEqualTo(burstStart.plusSeconds(3).minus(SLACK)));
	}

	@Test
	void rateLimitPauseHoldsBackEveryUsersSync() throws Exception {
		EmulatedUser limited = newUser(100);
		EmulatedUser other = newUser(30);
		BrowserSession limitedBrowser = signedIn(limited);
		BrowserSession otherBrowser = signedIn(other);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.rateLimited(1), 1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			CompletableFuture<HttpResponse<String>> limitedSync = CompletableFuture
				.supplyAsync(() -> limitedBrowser.api("/api/saved-tracks"), executor);
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> this.permits.pauseRemaining().compareTo(Duration.ZERO) > 0);

			JsonNode otherBody = read(otherBrowser.api("/api/saved-tracks"));

			assertThat(ids(otherBody)).containsExactlyElementsOf(ids(other.library()));
			assertThat(ids(read(limitedSync.get(10, TimeUnit.SECONDS))))
				.containsExactlyElementsOf(ids(limited.library()));
		}
		finally {
			executor.shutdownNow();
		}
		List<RequestRecord> log = spotify.counters().tracksRequestLog();
		assertThat(log).hasSize(4);
		assertThat(log.get(1).status()).isEqualTo(429);
		Instant pauseEnds = log.get(1).receivedAt().plusSeconds(1).minus(SLACK);
		assertThat(log.subList(2, 4)).as("both the retry and the other user's first request wait for the pause")
			.allSatisfy(record -> assertThat(record.receivedAt()).isAfterOrEqualTo(pauseEnds));
	}

	@Test
	void quotaExceededIsReportedWithoutRetrying() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().next(Fault.quotaExceeded());

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 503);

		assertThat(problem.get("type").asString()).contains("spotify-quota-exceeded");
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1);
	}

	@Test
	void serverErrorsOnAPageAreRetriedAndTheLibraryIsComplete() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(100, Fault.status(503), 2);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(body.get("total").asInt()).isEqualTo(300);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(6 + 2);
		assertThat(spotify.counters().tracksRequestLog()).filteredOn(record -> record.offset() == 100)
			.extracting(RequestRecord::status)
			.containsExactly(503, 503, 200);
	}

	@Test
	void malformedPageBodyIsRetriedAndTheLibraryIsComplete() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(150, Fault.malformedJson(), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(body.get("total").asInt()).isEqualTo(300);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library())).doesNotHaveDuplicates();
		assertThat(spotify.counters().tracksRequestLog()).filteredOn(record -> record.offset() == 150).hasSize(2);
	}

	@Test
	void truncatedPageBodyIsRetriedAndTheLibraryIsComplete() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(150, Fault.truncatedBody(), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(body.get("total").asInt()).isEqualTo(300);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library())).doesNotHaveDuplicates();
		assertThat(spotify.counters().tracksRequestLog()).filteredOn(record -> record.offset() == 150).hasSize(2);
	}

	@Test
	void faultOutlastingTheRetryBudgetGivesACleanBadGatewayAfterBoundedRequests() {
		EmulatedUser user = newUser(200);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().nextTimes(10, Fault.status(500));

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 502);

		assertThat(problem.get("type").asString()).contains("spotify-unavailable");
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1 + MAX_RETRIES);
		assertThat(cachedRows(user)).isZero();
	}

	@Test
	void fullSyncThatFailedMidwayGoesOnFromWhereItStoppedWhenTheFirstPageIsTheSame() {
		// Twelve pages: eight stored when the sync fails at the eleventh, two in memory.
		EmulatedUser user = newUser(600);
		BrowserSession browser = signedIn(user);
		spotify.faults().atOffset(500, Fault.status(503), 10);
		problem(browser.api("/api/saved-tracks"), 502);
		spotify.faults().clear();
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequestLog()).as("the first page checked, then the pages not read")
			.extracting(RequestRecord::offset)
			.containsExactlyInAnyOrder(0, 500, 550);
		assertThat(cachedRows(user)).isEqualTo(600);
	}

	@Test
	void fullSyncThatFailedMidwayStartsOverWhenTheFirstPageMoved() {
		EmulatedUser user = newUser(600);
		BrowserSession browser = signedIn(user);
		spotify.faults().atOffset(500, Fault.status(503), 10);
		problem(browser.api("/api/saved-tracks"), 502);
		spotify.faults().clear();
		user.saveNewTracks(3);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library())).hasSize(603);
		assertThat(spotify.counters().tracksRequestLog()).extracting(RequestRecord::offset)
			.containsExactlyInAnyOrder(0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("untrustworthyPages")
	void untrustworthyPageIsNeverCachedAndTheNextRequestSyncsCorrectly(Fault fault) {
		EmulatedUser user = newUser(200);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, fault, 10);

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 502);
		long rowsAfterFailure = cachedRows(user);
		List<RequestRecord> failedLog = spotify.counters().tracksRequestLog();
		spotify.faults().clear();
		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(problem.get("type").asString()).contains("spotify-unavailable");
		assertThat(rowsAfterFailure).isZero();
		assertThat(failedLog).filteredOn(record -> record.offset() == 50).hasSizeBetween(1, 1 + MAX_RETRIES);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(cachedRows(user)).isEqualTo(200);
	}

	@Test
	void emptyPageThatClaimsMoreIsAskedForOnceMoreAndAGlitchLeavesNoGap() {
		EmulatedUser user = newUser(200);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().atOffset(50, Fault.emptyPageWithNext(), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(body.get("omitted").get("unlisted").asInt()).isZero();
		assertThat(spotify.counters().tracksRequestLog()).filteredOn(record -> record.offset() == 50).hasSize(2);
		assertThat(spotify.counters().tracksRequests()).isEqualTo(4 + 1);
	}

	@Test
	void failingSpotifyServesThePreviousLibraryMarkedStaleUntilARefreshSucceeds() {
		EmulatedUser user = newUser(150);
		BrowserSession browser = signedIn(user);
		List<String> previous = ids(read(browser.api("/api/saved-tracks")));
		user.saveNewTracks(2);
		spotify.faults().nextTimes(10, Fault.status(500));

		HttpResponse<String> stale = browser.api("/api/saved-tracks?refresh=true");
		spotify.faults().clear();
		HttpResponse<String> refreshed = browser.api("/api/saved-tracks?refresh=true");

		assertThat(stale.headers().firstValue("X-Library-Stale")).isPresent();
		assertThat(ids(read(stale))).containsExactlyElementsOf(previous);
		assertThat(refreshed.headers().firstValue("X-Library-Stale")).isEmpty();
		assertThat(ids(read(refreshed))).containsExactlyElementsOf(ids(user.library())).hasSize(152);
	}

	@Test
	void concurrentColdRequestsShareOneSync() throws Exception {
		EmulatedUser user = newUser(500);
		List<BrowserSession> browsers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			browsers.add(signedIn(user));
		}
		spotify.counters().reset();
		spotify.latency(Duration.ofMillis(100));
		ExecutorService executor = Executors.newFixedThreadPool(browsers.size());
		CountDownLatch start = new CountDownLatch(1);
		List<HttpResponse<String>> responses = new ArrayList<>();
		try {
			List<CompletableFuture<HttpResponse<String>>> requests = browsers.stream()
				.map(browser -> CompletableFuture.supplyAsync(() -> {
					awaitQuietly(start);
					return browser.api("/api/saved-tracks");
				}, executor))
				.toList();

			start.countDown();
			for (CompletableFuture<HttpResponse<String>> request : requests) {
				responses.add(request.get(20, TimeUnit.SECONDS));
			}
		}
		finally {
			executor.shutdownNow();
		}

		List<String> expected = ids(user.library());
		assertThat(responses).hasSize(20)
			.allSatisfy(response -> assertThat(ids(read(response))).containsExactlyElementsOf(expected));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(10);
	}

	@Test
	void oneUsersSlowSyncDoesNotHoldUpAnotherUser() throws Exception {
		EmulatedUser slow = newUser(200);
		EmulatedUser quick = newUser(30);
		BrowserSession slowBrowser = signedIn(slow);
		BrowserSession quickBrowser = signedIn(quick);
		spotify.counters().reset();
		spotify.faults().atOffset(100, Fault.delay(Duration.ofSeconds(3)), 1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			CompletableFuture<HttpResponse<String>> slowSync = CompletableFuture
				.supplyAsync(() -> slowBrowser.api("/api/saved-tracks"), executor);
			await().atMost(Duration.ofSeconds(5)).until(() -> spotify.counters().tracksRequests() >= 4);
			long started = System.nanoTime();

			HttpResponse<String> quickResponse = quickBrowser.api("/api/saved-tracks");

			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			assertThat(slowSync).as("the slow sync is still waiting for its delayed page").isNotDone();
			// Well under the 3 s the slow page takes; the slow sync still running is the
			// proof, not the exact figure.
			assertThat(elapsed).isLessThan(Duration.ofMillis(2500));
			assertThat(ids(read(quickResponse))).containsExactlyElementsOf(ids(quick.library()));
			assertThat(ids(read(slowSync.get(10, TimeUnit.SECONDS)))).containsExactlyElementsOf(ids(slow.library()));
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void spotifyRefusingAccessIsReportedAsAccessDeniedWithoutRetrying() {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		user.denyAccess(true);

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 403);

		assertThat(problem.get("type").asString()).contains("spotify-access-denied");
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1);
	}

	@Test
	void expiredAccessTokenIsRefreshedOnceAndTheSyncCompletes() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.expireAccessTokens();

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(1);
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1 + 6);
	}

	@Test
	void expiredAccessTokenOfACachedLibraryIsRefreshedOnceOnRevalidation() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.saveNewTracks(1);
		spotify.counters().reset();
		spotify.expireAccessTokens();

		HttpResponse<String> response = browser.api("/api/saved-tracks?refresh=true");

		assertThat(response.headers().firstValue("X-Library-Stale")).isEmpty();
		assertThat(ids(read(response))).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(1);
	}

	@Test
	void accessTokenRejectedEvenAfterARefreshIsNotRetriedAgain() {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().nextTimes(5, Fault.expiredToken());

		HttpResponse<String> response = browser.api("/api/saved-tracks");

		assertThat(response.statusCode()).isBetween(400, 599);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(1);
		assertThat(spotify.counters().tracksRequests()).isEqualTo(2);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(ints = { 400, 404 })
	void otherClientErrorsAreNotRetried(int status) {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		spotify.faults().nextTimes(5, Fault.status(status));

		JsonNode problem = problem(browser.api("/api/saved-tracks"), 502);

		assertThat(problem.get("type").asString()).contains("spotify-unavailable");
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1);
		assertThat(cachedRows(user)).isZero();
	}

	static Stream<Fault> untrustworthyPages() {
		return Stream.of(Fault.malformedJson(), Fault.truncatedBody());
	}

	private long cachedRows(EmulatedUser user) {
		return this.jdbc.sql("select count(*) from library_track where account_id = ?")
			.param(user.id())
			.query(Long.class)
			.single();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static JsonNode problem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("dev.savedtracks");
		return json.readTree(response.body());
	}

	// Spotify refusing, as real Spotify does.

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

}
