package dev.savedtracks.postgres;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.OnPostgres;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core behaviours, end to end, on PostgreSQL: the same migrations, queries and locks
 * as on H2.
 */
@OnPostgres
class PostgresEndToEndTest extends EmulatedSpotifyTest {

	@Autowired
	OAuth2AuthorizedClientService clients;

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

}
