package dev.savedtracks.spotify.budget;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.ProductionGuards;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app-wide request budget end to end, against the emulator's rolling-window limit: a
 * budget set right keeps every sync under Spotify's limit, and one set too high shrinks
 * after the first 429s. The budget is {@link ProductionGuards}' (40 requests per 2 s, one
 * thread starting syncs), whose context this class shares.
 */
@ProductionGuards
class RequestBudgetTest extends EmulatedSpotifyTest {

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
		List<BrowserSession> browsers = users.stream().map(this::signedIn).toList();
		spotify.counters().reset();
		spotify.rateLimit(40, Duration.ofSeconds(2));

		List<CompletableFuture<HttpResponse<String>>> answers = browsers.stream()
			.map(browser -> CompletableFuture.supplyAsync(() -> browser.api("/api/saved-tracks")))
			.toList();

		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			assertThat(read(answer.join()).get("total").asInt()).isEqualTo(1000);
		}
		assertThat(spotify.counters().rateLimitedRequests()).isZero();
		assertThat(users).allSatisfy(user -> assertThat(spotify.counters().tracksRequests(user.id())).isEqualTo(20));
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
		List<BrowserSession> large = List.of(signedIn(newUser(2000)), signedIn(newUser(2000)), signedIn(newUser(2000)));
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

		assertThat(
				this.meters.get("executor.completed").tag("name", "spotifyPermitDispatcher").functionCounter().count())
			.isPositive();
		assertThat(this.context.containsBean("taskScheduler")).as("Boot's scheduler, for @Scheduled work").isTrue();
		assertThat(this.context.containsBean("applicationTaskExecutor")).as("Boot's executor, for MVC's async work")
			.isTrue();
	}

	@Test
	void signInsCountAgainstTheBudgetToo() {
		EmulatedUser user = newUser(10);

		signedIn(user);

		assertThat(spotify.counters().meRequests()).isEqualTo(1);
		assertThat(this.meters.get("spotify.requests.extra").tag("reason", "sign-in").counter().count()).isPositive();
		assertThat(this.meters.find("spotify.budget.grants").counters())
			.as("a turn of the sign-in's own, not one shared by every sign-in")
			.noneMatch(grants -> grants.getId().getTag("account").equals(PermitMetrics.digest("sign-in")));
	}

}
