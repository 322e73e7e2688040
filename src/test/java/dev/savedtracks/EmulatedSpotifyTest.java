package dev.savedtracks;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;
import dev.savedtracks.emulator.SpotifyEmulator;
import dev.savedtracks.spotify.budget.RequestPermits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the end-to-end tests (and the only base class: browsers and PostgreSQL are
 * added by composition, {@code Chromium} and {@link OnPostgres}): the whole application
 * on a random port, wired to the run's Spotify emulator
 * ({@link SpotifyEmulatorConfiguration}), with an in-memory H2 database. Each test uses
 * its own Spotify users, so tests never see each other's libraries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(SpotifyEmulatorConfiguration.class)
// One application context for all of them: a class that needs other settings takes a
// shared annotation (OnPostgres, ProductionGuards) rather than @TestPropertySource or
// @DynamicPropertySource of its own, since each distinct set of settings starts another
// context. Here, failures are retried at once, Spotify is asked as often as a test says
// (no request budget, no recheck throttle), and nothing runs in the background (no
// warm-up). The response timeout and the page concurrency are set here rather than with
// the rest of EmulatorWiring below, so that an annotation can still set its own. The MCP
// authorization server accepts Cursor's private-use redirect scheme, as an operator may
// allow it, so that the tests of that and of the default refusals share this context. A
// long sync that Spotify keeps failing pauses for tenths of a second rather than seconds
// (OUTAGE_PAUSE, MAX_OUTAGE_PAUSE).
@TestPropertySource(
		properties = { "library.failure-backoff=0s", "spotify.request-budget=unlimited", "library.min-recheck=0s",
				"library.warm-up=false", "spotify.response-timeout=" + EmulatorWiring.RESPONSE_TIMEOUT,
				"spotify.page-concurrency=" + EmulatorWiring.PAGE_CONCURRENCY,
				"mcp-auth.native-redirect-schemes=cursor", "spotify.outage-pause=" + EmulatedSpotifyTest.OUTAGE_PAUSE,
				"spotify.max-outage-pause=" + EmulatedSpotifyTest.MAX_OUTAGE_PAUSE })
public abstract class EmulatedSpotifyTest {

	/**
	 * {@code spotify.outage-pause}: the first pause of a long sync after a page failed
	 * all its retries (2 s in production).
	 */
	protected static final String OUTAGE_PAUSE = "200ms";

	/** {@code spotify.max-outage-pause}: the longest such pause (30 s in production). */
	protected static final String MAX_OUTAGE_PAUSE = "1s";

	protected static final SpotifyEmulator spotify = SpotifyEmulatorConfiguration.EMULATOR;

	/** A key generated for this test run only. */
	protected static final String TEST_KEY = SpotifyEmulatorConfiguration.TOKEN_ENCRYPTION_KEY;

	/** Reads the JSON answers of the application under test. */
	protected static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicInteger users = new AtomicInteger();

	@LocalServerPort
	protected int port;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	private RequestPermits permits;

	@DynamicPropertySource
	static void emulatedSpotifyAndH2(DynamicPropertyRegistry registry) {
		EmulatorWiring.forTests(spotify, TEST_KEY).forEach((name, value) -> {
			if (!name.equals("spotify.response-timeout") && !name.equals("spotify.page-concurrency")) {
				registry.add(name, () -> value);
			}
		});
		// @OnPostgres replaces this with a JdbcConnectionDetails bean, which outranks the
		// property.
		registry.add("spring.datasource.url",
				() -> "jdbc:h2:mem:saved-tracks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

	@BeforeEach
	void registerRedirectUri() {
		spotify.allowRedirectUri(appUrl() + "/login/oauth2/code/spotify");
		spotify.faults().clear();
		spotify.counters().reset();
	}

	@AfterEach
	void clearFaults() {
		spotify.faults().clear();
		spotify.latency(java.time.Duration.ZERO);
		spotify.tokenLatency(java.time.Duration.ZERO);
		spotify.ownerPremiumLapsed(false);
		spotify.noRateLimit();
		// A 429 pauses every Spotify call of the application: one test's pause must not
		// leak into the next.
		this.permits.resume();
	}

	protected String appUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * A Spotify user no other test uses, with a library of {@code tracks} saved tracks.
	 */
	protected static EmulatedUser newUser(int tracks) {
		return spotify.user("user" + users.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8))
			.generateLibrary(tracks);
	}

	/** A browser that has signed in as {@code user}. */
	protected BrowserSession signedIn(EmulatedUser user) {
		BrowserSession browser = new BrowserSession(appUrl());
		browser.signIn(user.id());
		return browser;
	}

	/**
	 * The body of a 200 answer as JSON; any other status fails the test, showing the
	 * body.
	 */
	protected static JsonNode read(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/** The track ids of a saved-tracks answer, in order. */
	protected static List<String> ids(JsonNode body) {
		return body.get("items").valueStream().map(item -> item.get("id").asString()).toList();
	}

	/** The track ids of an emulated library, in Spotify's order. */
	protected static List<String> ids(List<SavedTrack> library) {
		return library.stream().map(SavedTrack::id).toList();
	}

}
