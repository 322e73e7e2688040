package dev.savedtracks.postgres;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.test.context.TestPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.OnPostgres;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request budget is the fleet's, not each replica's: two replicas on one PostgreSQL
 * database draw from one Bucket4j bucket, so together they stay under the budget (a
 * budget per replica would make twice as many requests, and Spotify would answer 429).
 */
@TestPropertySource(properties = "spotify.request-budget=" + SharedBudgetTest.BUDGET)
@OnPostgres
class SharedBudgetTest extends EmulatedSpotifyTest {

	static final String BUDGET = "30/2s";

	private static InProcessService replicaA;

	private static final int PORT_A = TestSupport.freePort();

	@Autowired
	JdbcConnectionDetails database;

	@BeforeEach
	void replicaA() {
		if (replicaA == null) {
			Map<String, Object> properties = new LinkedHashMap<>(
					EmulatorWiring.replica(spotify, TEST_KEY, this.database));
			properties.put("server.port", PORT_A);
			properties.put("management.server.port", 0);
			properties.put("spotify.request-budget", BUDGET);
			replicaA = InProcessService.start(properties);
		}
		spotify.allowRedirectUri("http://127.0.0.1:" + PORT_A + "/login/oauth2/code/spotify");
	}

	@AfterAll
	static void stopReplicaA() {
		if (replicaA != null) {
			replicaA.close();
			replicaA = null;
		}
	}

	@Test
	void twoReplicasSyncingAtOnceStayTogetherUnderOneBudget() {
		// 48 pages, more than one window's 30: replicas with a budget each would send 60
		// at once.
		List<EmulatedUser> users = List.of(newUser(600), newUser(600), newUser(600), newUser(600));
		List<BrowserSession> browsers = List.of(signedIn(users.get(0)), signedIn(users.get(1)),
				signedInOnA(users.get(2)), signedInOnA(users.get(3)));
		spotify.counters().reset();
		spotify.rateLimit(30, Duration.ofSeconds(2));

		List<CompletableFuture<HttpResponse<String>>> answers = browsers.stream()
			.map(browser -> CompletableFuture.supplyAsync(() -> browser.api(browser.appUrl() + "/api/saved-tracks")))
			.toList();

		for (CompletableFuture<HttpResponse<String>> answer : answers) {
			assertThat(read(answer.join()).get("total").asInt()).isEqualTo(600);
		}
		assertThat(spotify.counters().rateLimitedRequests()).isZero();
		assertThat(users).allSatisfy(user -> assertThat(spotify.counters().tracksRequests(user.id())).isEqualTo(12));
	}

	private static BrowserSession signedInOnA(EmulatedUser user) {
		BrowserSession browser = new BrowserSession("http://127.0.0.1:" + PORT_A);
		browser.signIn(user.id());
		return browser;
	}

}
