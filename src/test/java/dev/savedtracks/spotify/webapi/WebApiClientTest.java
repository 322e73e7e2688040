package dev.savedtracks.spotify.webapi;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;

import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.web.reactive.function.client.WebClient;

import dev.savedtracks.TestDatabases;
import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;
import dev.savedtracks.spotify.budget.RequestPermits;
import dev.savedtracks.spotify.budget.TestRequestPermits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's retry policy against a fake Spotify: what is retried and how often, what
 * is not, the token replaced once after a 401, refusals told apart, the app-wide pause
 * after a 429, and the pages it refuses to trust.
 */
class WebApiClientTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Requester ALICE = Requester.of("alice", Priority.INTERACTIVE);

	private static DataSource dataSource;

	private final MockWebServer spotify = new MockWebServer();

	private final Tokens tokens = new Tokens();

	private final JsonMapper json = JsonMapper.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RequestPermits permits;

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.migratedH2();
	}

	@BeforeEach
	void start() throws IOException {
		this.spotify.start();
		this.permits = TestRequestPermits.of(settings(URI.create("http://127.0.0.1:1"), 0), dataSource,
				Clock.systemUTC(), this.meters);
		this.permits.resume();
	}

	@AfterEach
	void stop() {
		this.spotify.close();
	}

	@Test
	void pageIsAskedForAtItsOffsetWithThePersonsToken() throws InterruptedException {
		answer(200, page(50, 120, 50, null));

		SavedTracksPage page = client(3).savedTracks(this.tokens, 50, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(50);
		RecordedRequest request = this.spotify.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getTarget()).isEqualTo("/v1/me/tracks?limit=50&offset=50");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
	}

	@Test
	void serverErrorsAreRetriedUpToTheMaximumThenSpotifyIsUnavailable() {
		for (int i = 0; i < 4; i++) {
			answer(500 + i, "");
		}

		assertThatExceptionOfType(SpotifyUnavailable.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT));
		assertThat(this.spotify.getRequestCount()).isEqualTo(4);
	}

	@Test
	void serverErrorFollowedByAPageIsThePage() {
		answer(503, "");
		answer(502, "<html>Bad gateway</html>");
		answer(200, page(0, 3, 3, null));

		SavedTracksPage page = client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(3);
		assertThat(this.spotify.getRequestCount()).isEqualTo(3);
	}

	@Test
	void everyRequestBeyondOnePerPageIsCountedWithItsReason() {
		answer(503, "");
		answer(429, "", "Retry-After", "0");
		answer(200, page(50, 150, 0, "http://HOST/v1/me/tracks?offset=100&limit=50"));
		answer(200, page(50, 150, 50, "http://HOST/v1/me/tracks?offset=100&limit=50"));

		client(3).savedTracks(this.tokens, 50, ALICE).block(WAIT);

		assertThat(this.spotify.getRequestCount()).isEqualTo(4);
		assertThat(extra("retry")).isEqualTo(1);
		assertThat(extra("rate-limited")).isEqualTo(1);
		assertThat(extra("empty-page")).isEqualTo(1);
		assertThat(this.meters.find("spotify.requests.extra").counters()).hasSize(3);
	}

	private double extra(String reason) {
		return this.meters.get("spotify.requests.extra").tag("reason", reason).counter().count();
	}

	@Test
	void noRetriesMeansOneRequest() {
		answer(500, "");

		assertThatExceptionOfType(SpotifyUnavailable.class)
			.isThrownBy(() -> client(0).savedTracks(this.tokens, 0, ALICE).block(WAIT));
		assertThat(this.spotify.getRequestCount()).isEqualTo(1);
	}

	@Test
	void rejectedTokenIsReplacedOnceAndTheRequestRetried() throws InterruptedException {
		answer(401, "{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}");
		answer(200, page(0, 3, 3, null));

		SavedTracksPage page = client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(3);
		assertThat(this.tokens.replaced).containsExactly("token-1");
		assertThat(authorization(this.spotify.takeRequest(1, TimeUnit.SECONDS))).isEqualTo("Bearer token-1");
		assertThat(authorization(this.spotify.takeRequest(1, TimeUnit.SECONDS))).isEqualTo("Bearer token-2");
	}

	@Test
	void tokenRejectedAgainAfterItsReplacementIsARefusal() {
		answer(401, "");
		answer(401, "");

		assertThatExceptionOfType(SpotifyRequestRejected.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT));
		assertThat(this.tokens.replaced).containsExactly("token-1");
		assertThat(this.spotify.getRequestCount()).isEqualTo(2);
	}

	@Test
	void personMissingFromADevelopmentAppsUserListIsToldSoAndNotRetried() {
		answer(403, "Check settings on developer.spotify.com/dashboard, the user may not be registered.");

		assertThatExceptionOfType(SpotifyAccessDenied.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT))
			.satisfies(denied -> assertThat(denied.reason()).isEqualTo(SpotifyAccessDenied.Reason.USER_NOT_REGISTERED));
		assertThat(this.spotify.getRequestCount()).isEqualTo(1);
	}

	@Test
	void lapsedPremiumOfTheAppsOwnerIsToldApartFromTheJsonError() {
		answer(403, "{\"error\":{\"status\":403,\"message\":\"Active premium subscription required for the owner "
				+ "of the app.\"}}");

		assertThatExceptionOfType(SpotifyAccessDenied.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT))
			.satisfies(
					denied -> assertThat(denied.reason()).isEqualTo(SpotifyAccessDenied.Reason.OWNER_PREMIUM_REQUIRED));
	}

	@Test
	void plainTextRefusalIsReadAsTextWhateverItStartsWith() {
		answer(403, "403: the user may not be registered");

		assertThatExceptionOfType(SpotifyAccessDenied.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT))
			.satisfies(denied -> assertThat(denied.reason()).isEqualTo(SpotifyAccessDenied.Reason.USER_NOT_REGISTERED));
	}

	@Test
	void otherRefusalsAreRefusedWithoutAReason() {
		answer(403, "{\"error\":{\"status\":403,\"message\":\"Insufficient client scope\"}}");

		assertThatExceptionOfType(SpotifyAccessDenied.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT))
			.satisfies(denied -> assertThat(denied.reason()).isEqualTo(SpotifyAccessDenied.Reason.OTHER));
	}

	@Test
	void exhaustedQuotaIsNotRetriedAndPausesEveryCallOfTheApp() {
		answer(429,
				"{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\",\"reason\":\"QUOTA_EXCEEDED\"}}");

		assertThatExceptionOfType(SpotifyQuotaExceeded.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT));
		assertThatExceptionOfType(SpotifyQuotaExceeded.class)
			.isThrownBy(() -> client(3).savedTracks(new Tokens(), 0, ALICE).block(WAIT));

		assertThat(this.spotify.getRequestCount()).isEqualTo(1);
		assertThat(this.permits.pauseRemaining()).isGreaterThan(Duration.ofSeconds(50));
	}

	@Test
	void rateLimitWithAShortPauseIsWaitedForAndRetried() {
		answer(429, "", "Retry-After", "1");
		answer(200, page(0, 3, 3, null));

		SavedTracksPage page = client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(3);
		assertThat(this.spotify.getRequestCount()).isEqualTo(2);
	}

	@Test
	void retryAfterZeroPausesForTheMinimumBackoffNotAtOnce() {
		answer(429, "", "Retry-After", "0");
		answer(200, page(0, 3, 3, null));
		long start = System.nanoTime();

		SavedTracksPage page = client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(3);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void rateLimitLongerThanARequestMayWaitIsNotWaitedFor() {
		answer(429, "", "Retry-After", "3600");

		assertThatExceptionOfType(SpotifyRateLimited.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT))
			.satisfies(limited -> assertThat(limited.retryAfter()).isEqualTo(Duration.ofHours(1)));
		assertThat(this.spotify.getRequestCount()).isEqualTo(1);
		assertThat(this.permits.pauseRemaining()).isGreaterThan(Duration.ofMinutes(59));
	}

	@Test
	void rateLimitedOverAndOverGivesUp() {
		for (int i = 0; i < 6; i++) {
			answer(429, "", "Retry-After", "0");
		}
		answer(200, page(0, 3, 3, null));

		// Five pauses of the minimum backoff (1 to 1.5 s each) before giving up.
		assertThatExceptionOfType(SpotifyRateLimited.class)
			.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(Duration.ofSeconds(30)));
		assertThat(this.spotify.getRequestCount()).isEqualTo(6);
	}

	@Test
	void otherClientErrorsAreNotRetried() {
		for (int status : List.of(400, 404, 405, 410)) {
			answer(status, "{\"error\":{\"status\":" + status + ",\"message\":\"no\"}}");
		}

		for (int i = 0; i < 4; i++) {
			assertThatExceptionOfType(SpotifyRequestRejected.class)
				.isThrownBy(() -> client(3).savedTracks(this.tokens, 0, ALICE).block(WAIT));
		}
		assertThat(this.spotify.getRequestCount()).isEqualTo(4);
	}

	@Test
	void shortPageIsTrusted() {
		// Spotify leaves out tracks unavailable in the person's market: fewer items than
		// the count implies.
		answer(200, page(0, 120, 37, "http://HOST/v1/me/tracks?offset=50&limit=50"));

		SavedTracksPage page = client(0).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(37);
	}

	@Test
	void pageWhoseNextPointsElsewhereIsTakenAndNextIsNeverFollowed() {
		// An operator's egress proxy in SPOTIFY_API_URL gets links to Spotify's own host.
		answer(200, page(0, 120, 50, "https://api.spotify.com/v1/me/tracks?offset=50&limit=50"));

		SavedTracksPage page = client(0).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(50);
		assertThat(this.spotify.getRequestCount()).isEqualTo(1);
	}

	@Test
	void pagesThatCannotBeSpotifysAnswerAreRefused() {
		List<String> broken = List.of(page(0, 1_000_001, 50, null), page(0, 120, 51, null), page(50, 120, 50, null),
				"{\"items\":[]}", "{\"total\":3}", "{\"total\":3,\"items\":[", "<html>maintenance</html>", "");

		for (String body : broken) {
			answer(200, body);
			assertThatExceptionOfType(SpotifyProtocolViolation.class).as(body)
				.isThrownBy(() -> client(0).savedTracks(this.tokens, 0, ALICE).block(WAIT));
		}
	}

	@Test
	void emptyPageThatClaimsMoreIsAskedForOnceMoreAndAGlitchGivesTheRealPage() {
		answer(200, page(50, 150, 0, "http://HOST/v1/me/tracks?offset=100&limit=50"));
		answer(200, page(50, 150, 50, "http://HOST/v1/me/tracks?offset=100&limit=50"));

		SavedTracksPage page = client(0).savedTracks(this.tokens, 50, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(50);
		assertThat(this.spotify.getRequestCount()).isEqualTo(2);
	}

	@Test
	void emptyPageThatClaimsMoreTwiceIsAPageOfUnavailableTracks() {
		// Fifty tracks in a row unavailable in the person's market: refusing the page
		// would fail the library forever.
		answer(200, page(50, 150, 0, "http://HOST/v1/me/tracks?offset=100&limit=50"));
		answer(200, page(50, 150, 0, "http://HOST/v1/me/tracks?offset=100&limit=50"));

		SavedTracksPage page = client(0).savedTracks(this.tokens, 50, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).isEmpty();
		assertThat(page.total()).isEqualTo(150);
		assertThat(this.spotify.getRequestCount()).isEqualTo(2);
	}

	@Test
	void refusedPageIsRetriedLikeATransientFault() {
		answer(200, "{\"total\":3,\"items\":[");
		answer(200, page(0, 3, 3, null));

		SavedTracksPage page = client(1).savedTracks(this.tokens, 0, ALICE).block(WAIT);

		assertThat(page.itemsOrEmpty()).hasSize(3);
	}

	private WebApiClient client(int maxRetries) {
		return client(URI.create(this.spotify.url("/").toString()), maxRetries);
	}

	private WebApiClient client(URI apiUrl, int maxRetries) {
		SpotifySettings settings = settings(apiUrl, maxRetries);
		WebClient webClient = WebApiConfiguration.webClient(WebClient.builder(), ClientHttpConnectorBuilder.reactor(),
				settings);
		return new WebApiClient(settings, this.permits,
				new PageExchange(webClient, this.json, settings, this.permits, this.meters), this.meters);
	}

	/**
	 * No budget to wait for: what is tested here is what the client does with Spotify's
	 * answers.
	 */
	private static SpotifySettings settings(URI apiUrl, int maxRetries) {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"), apiUrl, "",
				Duration.ofSeconds(2), Duration.ofSeconds(5), maxRetries, Duration.ofMillis(1), Duration.ofMillis(5),
				Duration.ofSeconds(15), 8, "unlimited", Duration.ofSeconds(2), Duration.ofSeconds(30));
	}

	private void answer(int status, String body, String... headers) {
		MockResponse.Builder response = new MockResponse.Builder().code(status).body(body);
		for (int i = 0; i < headers.length; i += 2) {
			response.addHeader(headers[i], headers[i + 1]);
		}
		if (body.startsWith("{")) {
			response.addHeader("Content-Type", "application/json");
		}
		this.spotify.enqueue(response.build());
	}

	/**
	 * A page at {@code offset} of a library of {@code total}, with {@code items} items;
	 * HOST is the fake's.
	 */
	private String page(int offset, int total, int items, String next) {
		List<String> saved = new ArrayList<>();
		for (int i = 0; i < items; i++) {
			saved.add("{\"added_at\":\"2024-05-01T10:00:00Z\",\"track\":{\"id\":\"t" + (offset + i) + "\"}}");
		}
		String link = (next != null) ? "\"" + next.replace("http://HOST", hostUrl()) + "\"" : "null";
		return "{\"href\":\"x\",\"limit\":50,\"offset\":" + offset + ",\"total\":" + total + ",\"next\":" + link
				+ ",\"items\":[" + String.join(",", saved) + "]}";
	}

	private String hostUrl() {
		String url = this.spotify.url("/").toString();
		return url.substring(0, url.length() - 1);
	}

	private static String authorization(RecordedRequest request) {
		return request.getHeaders().get("Authorization");
	}

	/** A person's tokens: token-1 first, the next one after each rejection. */
	private static final class Tokens implements AccessTokenSource {

		private final List<String> replaced = Collections.synchronizedList(new ArrayList<>());

		private volatile int current = 1;

		@Override
		public String current() {
			return "token-" + this.current;
		}

		@Override
		public String replaceRejected(String rejected) {
			this.replaced.add(rejected);
			this.current++;
			return current();
		}

	}

}
