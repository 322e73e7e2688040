package dev.savedtracks.spotify.budget;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.ProductionGuards;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.library.web.SavedTracksApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guards of production that the shared context switches off
 * ({@link ProductionGuards}), end to end: the app-wide request budget, the per-account
 * throttles, and forwarded headers trusted behind a TLS proxy. One class, in the budget's
 * package since its tests read the budget's own state, so that the one application
 * context these tests share starts once per run: as three classes, each test JVM that
 * picked one of them started it again (issue 25).
 */
@ProductionGuards
class ProductionGuardsTest extends EmulatedSpotifyTest {

	/**
	 * The app-wide request budget end to end, against the emulator's rolling-window
	 * limit: a budget set right keeps every sync under Spotify's limit, and one set too
	 * high shrinks after the first 429s. The budget is {@link ProductionGuards}' (40
	 * requests per 2 s, one thread starting syncs).
	 */
	@Nested
	class RequestBudget {

		@Autowired
		SlidingWindowLimiter budget;

		@Autowired
		MeterRegistry meters;

		@Autowired
		ApplicationContext context;

		@BeforeEach
		@AfterEach
		void fullBudget() {
			// Shrunk by a test's 429s, it would hold back the next test in this context.
			this.budget.reset();
		}

		@Test
		void librariesSyncingAtOnceStayWithinTheBudgetAndGetNo429() {
			List<EmulatedUser> users = List.of(newUser(1000), newUser(1000), newUser(1000));
			List<BrowserSession> browsers = users.stream().map(ProductionGuardsTest.this::signedIn).toList();
			spotify.counters().reset();
			spotify.rateLimit(40, Duration.ofSeconds(2));

			List<CompletableFuture<HttpResponse<String>>> answers = browsers.stream()
				.map(browser -> CompletableFuture.supplyAsync(() -> browser.api("/api/saved-tracks")))
				.toList();

			for (CompletableFuture<HttpResponse<String>> answer : answers) {
				assertThat(read(answer.join()).get("total").asInt()).isEqualTo(1000);
			}
			assertThat(spotify.counters().rateLimitedRequests()).isZero();
			assertThat(users)
				.allSatisfy(user -> assertThat(spotify.counters().tracksRequests(user.id())).isEqualTo(20));
		}

		@Test
		void aBudgetSetAboveSpotifysLimitShrinksAfterThe429sInsteadOfMeetingThemAgain() {
			BrowserSession browser = signedIn(newUser(1000));
			spotify.rateLimit(12, Duration.ofSeconds(2));

			HttpResponse<String> answer = browser.api("/api/saved-tracks");

			assertThat(read(answer).get("total").asInt()).isEqualTo(1000);
			assertThat(spotify.counters().rateLimitedRequests()).isPositive();
			assertThat(this.budget.allowed()).isLessThan(40);
			assertThat(this.meters.get("spotify.budget.decreases").counter().count()).isPositive();
			assertThat(this.meters.get("spotify.budget.allowed").gauge().value()).isLessThan(40);
		}

		@Test
		void aSmallLibraryIsAnsweredWithinSecondsWhileLargeOnesSyncAtTheBudgetsPace() throws Exception {
			List<BrowserSession> large = List.of(signedIn(newUser(2000)), signedIn(newUser(2000)),
					signedIn(newUser(2000)));
			EmulatedUser small = newUser(50);
			spotify.latency(Duration.ofMillis(50));
			spotify.rateLimit(40, Duration.ofSeconds(2));
			spotify.counters().reset();
			List<CompletableFuture<HttpResponse<String>>> syncing = large.stream()
				.map(browser -> CompletableFuture.supplyAsync(() -> browser.api("/api/saved-tracks")))
				.toList();
			org.awaitility.Awaitility.await().until(() -> spotify.counters().tracksRequests() >= 30);

			long started = System.nanoTime();
			HttpResponse<String> answer = signedIn(small).api("/api/saved-tracks");
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(read(answer).get("total").asInt()).isEqualTo(50);
			assertThat(took).as("sign-in and first answer").isLessThan(Duration.ofSeconds(3));
			assertThat(syncing).as("the large libraries were still syncing").noneMatch(CompletableFuture::isDone);
			for (CompletableFuture<HttpResponse<String>> sync : syncing) {
				assertThat(read(sync.get()).get("total").asInt()).isEqualTo(2000);
			}
			assertThat(spotify.counters().rateLimitedRequests()).isZero();
		}

		@Test
		void aFirstSyncStartsAtOnceWhileALongSyncWaitsForTheBudget() throws Exception {
			BrowserSession large = signedIn(newUser(5000));
			BrowserSession small = signedIn(newUser(50));
			spotify.counters().reset();
			CompletableFuture<HttpResponse<String>> syncing = CompletableFuture
				.supplyAsync(() -> large.api("/api/saved-tracks"));
			org.awaitility.Awaitility.await().until(() -> spotify.counters().tracksRequests() >= 1);

			long started = System.nanoTime();
			HttpResponse<String> answer = small.api("/api/saved-tracks");
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(read(answer).get("total").asInt()).isEqualTo(50);
			assertThat(took).as("a first sync, while the only sync thread's sync waits for permits")
				.isLessThan(Duration.ofSeconds(3));
			assertThat(syncing).as("the large library was still syncing").isNotDone();
			assertThat(read(syncing.get()).get("total").asInt()).isEqualTo(5000);
		}

		@Test
		void permitsAreGrantedOnASchedulerThatSpringRunsAndMeasuresAndThatScheduledWorkLeavesAlone() {
			BrowserSession browser = signedIn(newUser(100));

			browser.api("/api/saved-tracks");

			assertThat(this.meters.get("executor.completed")
				.tag("name", "spotifyPermitDispatcher")
				.functionCounter()
				.count()).isPositive();
			assertThat(this.context.containsBean("taskScheduler")).as("Boot's scheduler, for @Scheduled work").isTrue();
			assertThat(this.context.containsBean("applicationTaskExecutor")).as("Boot's executor, for MVC's async work")
				.isTrue();
		}

		@Test
		void signInsCountAgainstTheBudgetToo() {
			EmulatedUser user = newUser(10);

			signedIn(user);

			assertThat(spotify.counters().meRequests()).isEqualTo(1);
			assertThat(this.meters.get("spotify.requests.extra").tag("reason", "sign-in").counter().count())
				.isPositive();
			assertThat(this.meters.find("spotify.budget.grants").counters())
				.as("a turn of the sign-in's own, not one shared by every sign-in")
				.noneMatch(grants -> grants.getId().getTag("account").equals(PermitMetrics.digest("sign-in")));
		}

	}

	/**
	 * What one caller can make the service ask of Spotify: {@code refresh=true} at most
	 * once per {@code LIBRARY_MIN_RECHECK}, and full syncs at most
	 * {@code LIBRARY_MAX_FULL_SYNCS_PER_DAY}; each throttle says so in the answer.
	 */
	@Nested
	class PerAccountThrottles {

		private static final Duration MIN_RECHECK = Duration.ofSeconds(ProductionGuards.MIN_RECHECK_SECONDS);

		@Test
		void refreshCalledOverAndOverAsksSpotifyOncePerMinRecheckAndSaysWhenItLastDid() throws Exception {
			EmulatedUser user = newUser(120);
			BrowserSession browser = signedIn(user);
			read(browser.api("/api/saved-tracks"));
			Thread.sleep(MIN_RECHECK.toMillis());
			spotify.counters().reset();

			HttpResponse<String> first = browser.api("/api/saved-tracks?refresh=true");
			HttpResponse<String> last = null;
			for (int i = 0; i < 19; i++) {
				last = browser.api("/api/saved-tracks?refresh=true");
				assertThat(read(last).get("total").asInt()).isEqualTo(120);
			}

			assertThat(first.headers().firstValue(SavedTracksApi.THROTTLED_HEADER)).isEmpty();
			assertThat(spotify.counters().tracksRequests(user.id())).isBetween(1, 2);
			assertThat(last.headers().firstValue(SavedTracksApi.THROTTLED_HEADER).orElseThrow())
				.matches("recheck; retry-after=[1-3]");
			Instant checkedAt = Instant
				.parse(last.headers().firstValue(SavedTracksApi.CHECKED_AT_HEADER).orElseThrow());
			assertThat(checkedAt).isBetween(Instant.now().minus(MIN_RECHECK.multipliedBy(2)), Instant.now());
			assertThat(last.headers().firstValue(SavedTracksApi.STALE_HEADER)).isEmpty();
		}

		@Test
		void beyondTheDailyFullSyncsTheCopyIsServedSayingWhyAtTheCostOfOneRequest() throws Exception {
			EmulatedUser user = newUser(120);
			BrowserSession browser = signedIn(user);
			read(browser.api("/api/saved-tracks"));
			user.removeTrackAt(5);
			Thread.sleep(MIN_RECHECK.toMillis());
			assertThat(read(browser.api("/api/saved-tracks?refresh=true")).get("total").asInt())
				.as("the day's one full sync")
				.isEqualTo(119);
			user.removeTrackAt(5);
			Thread.sleep(MIN_RECHECK.toMillis());
			spotify.counters().reset();

			HttpResponse<String> refused = browser.api("/api/saved-tracks?refresh=true");
			HttpResponse<String> next = browser.api("/api/saved-tracks");

			assertThat(read(refused).get("total").asInt()).isEqualTo(119);
			assertThat(refused.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("full-sync-budget-used");
			assertThat(refused.headers().firstValue(SavedTracksApi.THROTTLED_HEADER).orElseThrow())
				.matches("full-sync-budget; retry-after=8[0-9]{4}");
			assertThat(spotify.counters().tracksRequests(user.id())).as("only the first page, which told of the change")
				.isEqualTo(1);
			assertThat(next.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("full-sync-budget-used");
		}

	}

	/**
	 * Behind a proxy that terminates TLS and says so in {@code X-Forwarded-Proto}
	 * (trusted with {@code FORWARD_HEADERS_STRATEGY=native}, as in the compose file),
	 * cookies are {@code Secure} and HSTS is sent.
	 */
	@Nested
	class BehindTlsProxy {

		@Test
		void requestForwardedFromHttpsGetsSecureCookiesAndHsts() {
			BrowserSession browser = new BrowserSession(appUrl());

			HttpResponse<String> home = browser.send(page("/", "https"));
			HttpResponse<String> signIn = browser.send(page("/oauth2/authorization/spotify", "https"));

			assertThat(cookie(home, "XSRF-TOKEN")).contains("; Secure");
			assertThat(cookie(signIn, "SESSION")).contains("; Secure").contains("; HttpOnly");
			assertThat(home.headers().firstValue("Strict-Transport-Security"))
				.hasValueSatisfying(hsts -> assertThat(hsts).contains("max-age="));
		}

		@Test
		void plainHttpRequestGetsNeitherSecureCookiesNorHsts() {
			BrowserSession browser = new BrowserSession(appUrl());

			HttpResponse<String> home = browser.send(page("/", null));
			HttpResponse<String> signIn = browser.send(page("/oauth2/authorization/spotify", null));

			assertThat(cookie(home, "XSRF-TOKEN")).doesNotContain("Secure");
			assertThat(cookie(signIn, "SESSION")).doesNotContain("Secure");
			assertThat(home.headers().firstValue("Strict-Transport-Security")).isEmpty();
		}

		private HttpRequest page(String path, String forwardedProto) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appUrl() + path))
				.header("Accept", "text/html");
			if (forwardedProto != null) {
				request.header("X-Forwarded-Proto", forwardedProto);
			}
			return request.GET().build();
		}

		/** The Set-Cookie header that sets {@code name}, as sent. */
		private static String cookie(HttpResponse<String> response, String name) {
			List<String> cookies = response.headers().allValues("Set-Cookie");
			return cookies.stream()
				.filter(c -> c.startsWith(name + "="))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no " + name + " cookie in " + cookies));
		}

	}

}
