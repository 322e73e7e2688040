package dev.savedtracks.postgres;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.OnPostgres;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core behaviours, end to end, on PostgreSQL: the same migrations, queries and locks
 * as on H2, and the per-person key limit under parallel creation.
 * <p>
 * The database goes away and comes back: requests fail fast with 503 problem+json,
 * readiness says DOWN, and the service recovers without a restart. The application under
 * test gets a PostgreSQL database of its own, which the test closes to connections (and
 * whose open connections it terminates), then opens again.
 */
@OnPostgres
class PostgresEndToEndTest extends EmulatedSpotifyTest {

	@Autowired
	OAuth2AuthorizedClientService clients;

	@Autowired
	Environment environment;

	private final String name = "outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	@Autowired
	JdbcConnectionDetails server;

	private InProcessService app;

	/** Whether this test created the outage's database, which it drops afterwards. */
	private boolean outageDatabaseCreated;

	@Test
	void runsOnPostgresqlWithTheSameMigrations() throws java.io.IOException {
		String version = this.jdbc.sql("select version()").query(String.class).single();
		Integer migrations = this.jdbc.sql("select count(*) from flyway_schema_history where success")
			.query(Integer.class)
			.single();

		assertThat(version).startsWith("PostgreSQL");
		var resolver = new org.springframework.core.io.support.PathMatchingResourcePatternResolver();
		int scripts = resolver.getResources("classpath*:db/migration/common/V*.sql").length
				+ resolver.getResources("classpath*:db/migration/postgresql/V*.sql").length;
		assertThat(migrations).isEqualTo(scripts).isGreaterThanOrEqualTo(7);
	}

	@Test
	void signInStoresAnEncryptedTokenAndADatabaseSession() {
		EmulatedUser user = newUser(3);

		BrowserSession browser = signedIn(user);

		String access = this.jdbc.sql("select access_token from spotify_token where account_id = ?")
			.param(user.id())
			.query(String.class)
			.single();
		String plaintext = this.clients.loadAuthorizedClient("spotify", user.id()).getAccessToken().getTokenValue();
		assertThat(plaintext).startsWith("BQ");
		assertThat(access).startsWith("v1:").doesNotContain(plaintext);
		assertThat(this.jdbc.sql("select count(*) from spring_session where principal_name = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(browser.api("/api/me").statusCode()).isEqualTo(200);
	}

	@Test
	void syncsCachesRevalidatesAndAddsOnTop() {
		EmulatedUser user = newUser(260);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		JsonNode cold = read(browser.api("/api/saved-tracks"));
		int coldRequests = spotify.counters().tracksRequests();
		read(browser.api("/api/saved-tracks"));
		int warmRequests = spotify.counters().tracksRequests() - coldRequests;
		user.saveNewTracks(2);
		JsonNode revalidated = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(cold.get("total").asInt()).isEqualTo(260);
		assertThat(coldRequests).isEqualTo(6);
		assertThat(warmRequests).isZero();
		assertThat(spotify.counters().tracksRequests()).isEqualTo(7);
		assertThat(revalidated.get("items").valueStream().map(i -> i.get("id").asString()).toList())
			.containsExactlyElementsOf(user.library().stream().map(t -> t.id()).toList());
	}

	@Test
	void refreshesAnExpiredTokenAndGivesUpCleanlyOnRevocation() {
		EmulatedUser user = newUser(20);
		BrowserSession browser = signedIn(user);
		spotify.expireAccessTokens();
		spotify.counters().reset();

		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);
		user.revoke();
		spotify.expireAccessTokens();
		HttpResponse<String> revoked = browser.api("/api/saved-tracks?refresh=true");

		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(2);
		assertThat(revoked.statusCode()).isEqualTo(401);
		assertThat(revoked.body()).contains("reauthorization-required");
	}

	@Test
	void apiKeysWorkAndRevokedKeysAnswer401() {
		EmulatedUser user = newUser(15);
		BrowserSession browser = signedIn(user);
		JsonNode created = json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"pg\"}").body());
		String key = created.get("key").asString();

		HttpResponse<String> withKey = BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET",
				"application/json");
		browser.write("DELETE", "/api/keys/" + created.get("id").asString(), "");
		HttpResponse<String> afterRevoke = BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET",
				"application/json");

		assertThat(withKey.statusCode()).isEqualTo(200);
		assertThat(read(withKey).get("total").asInt()).isEqualTo(15);
		assertThat(afterRevoke.statusCode()).isEqualTo(401);
	}

	@Test
	void parallelKeyCreationStopsExactlyAtThePerPersonLimit() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = signedIn(user);
		int limit = this.environment.getRequiredProperty("api-keys.max-per-account", Integer.class);
		List<String> bodies = IntStream.range(0, limit + 10)
			.mapToObj(i -> "{\"name\":\"parallel " + i + "\"}")
			.toList();

		List<Integer> statuses = browser.writeAtOnce("POST", "/api/keys", bodies).stream().map(answer -> {
			assertThat(answer.statusCode()).as(answer.body()).isIn(201, 409);
			return answer.statusCode();
		}).toList();

		assertThat(statuses).filteredOn(status -> status == 201).hasSize(limit);
		assertThat(statuses).filteredOn(status -> status == 409).hasSize(10);
		assertThat(this.jdbc.sql("select count(*) from api_key where account_id = ?")
			.param(user.id())
			.query(Long.class)
			.single()).isEqualTo(limit);
	}

	// The database goes away and comes back, under an application of its own.

	@AfterEach
	void stop() {
		if (!this.outageDatabaseCreated) {
			return;
		}
		if (this.app != null) {
			this.app.close();
		}
		allowConnections(true);
		this.jdbc.sql("drop database if exists " + this.name + " with (force)").update();
	}

	@Test
	void failsFastWhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
		this.jdbc.sql("create database " + this.name).update();
		this.outageDatabaseCreated = true;
		this.app = startApp();
		String url = this.app.url();
		spotify.allowRedirectUri(url + "/login/oauth2/code/spotify");
		EmulatedUser user = newUser(30);
		BrowserSession browser = new BrowserSession(url);
		browser.signIn(user.id());
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);

		allowConnections(false);
		this.jdbc.sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = ?")
			.param(this.name)
			.query()
			.listOfRows();
		Instant asked = Instant.now();
		HttpResponse<String> during = browser.api("/api/saved-tracks");
		Duration took = Duration.between(asked, Instant.now());
		HttpResponse<String> readiness = browser.get("/readyz", "application/json");

		assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
		assertThat(during.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(during.headers().firstValue("Retry-After")).isPresent();
		assertThat(during.body()).contains("database-unavailable").doesNotContain("Exception");
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		assertThat(readiness.statusCode()).isEqualTo(503);

		allowConnections(true);
		HttpResponse<String> after = browser.api("/api/saved-tracks");
		for (int i = 0; i < 40 && after.statusCode() != 200; i++) {
			Thread.sleep(250);
			after = browser.api("/api/saved-tracks");
		}
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(browser.get("/readyz", "application/json").statusCode()).isEqualTo(200);
	}

	private void allowConnections(boolean allow) {
		this.jdbc.sql("alter database " + this.name + " allow_connections " + allow).update();
	}

	private InProcessService startApp() {
		java.util.Map<String, String> properties = EmulatorWiring.replica(spotify, TEST_KEY, this.server);
		properties.put("spring.datasource.url",
				dev.savedtracks.PostgresDatabase.withDatabase(this.server.getJdbcUrl(), this.name));
		properties.put("spring.datasource.hikari.connection-timeout", "1500");
		return InProcessService.start(properties);
	}

}
