package dev.savedtracks.me;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/me}: the caller's profile and library state, and deleting all their data.
 */
class MeTest extends EmulatedSpotifyTest {

	@Test
	void describesTheCallerAndTheirLibrary() {
		EmulatedUser user = newUser(42).displayName("Grace Hopper");
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");

		JsonNode me = json.readTree(browser.api("/api/me").body());

		assertThat(me.get("spotifyId").asString()).isEqualTo(user.id());
		assertThat(me.get("displayName").asString()).isEqualTo("Grace Hopper");
		assertThat(me.get("librarySize").asInt()).isEqualTo(42);
		assertThat(me.get("lastSyncedAt").asString()).isNotBlank();
		assertThat(me.get("syncState").asString()).isEqualTo("COMPLETE");
		assertThat(me.get("reauthorizationRequired").asBoolean()).isFalse();
	}

	@Test
	void beforeTheFirstSyncTheLibraryIsUnknown() {
		BrowserSession browser = signedIn(newUser(5));

		JsonNode me = json.readTree(browser.api("/api/me").body());

		assertThat(me.get("librarySize").isNull()).isTrue();
		assertThat(me.get("syncState").asString()).isEqualTo("NEVER_SYNCED");
	}

	@Test
	void saysWhenSpotifyNeedsTheCallerToSignInAgain() {
		EmulatedUser user = newUser(5);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		user.revoke();
		spotify.expireAccessTokens();
		browser.api("/api/saved-tracks?refresh=true");

		JsonNode me = json.readTree(browser.api("/api/me").body());

		assertThat(me.get("reauthorizationRequired").asBoolean()).isTrue();
		assertThat(me.get("librarySize").asInt()).isEqualTo(5);
	}

	@Test
	void deletingMyDataRemovesTokensLibraryAndKeysAndSignsMeOut() {
		EmulatedUser user = newUser(25);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		String key = json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"doomed\"}").body())
			.get("key")
			.asString();

		HttpResponse<String> deleted = browser.write("DELETE", "/api/me", "");

		assertThat(deleted.statusCode()).isEqualTo(204);
		for (String table : new String[] { "account where spotify_id", "spotify_token where account_id",
				"library where account_id", "library_track where account_id", "api_key where account_id" }) {
			assertThat(this.jdbc.sql("select count(*) from " + table + " = ?")
				.param(user.id())
				.query(Integer.class)
				.single()).as(table).isZero();
		}
		assertThat(BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET", "application/json").statusCode())
			.isEqualTo(401);
		assertThat(browser.api("/api/me").statusCode()).isEqualTo(401);
	}

	@Test
	void deletingWithoutTheCsrfHeaderIsForbidden() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = signedIn(user);

		HttpResponse<String> response = browser.writeWithoutCsrf("DELETE", "/api/me", "");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

}
