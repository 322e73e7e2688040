package dev.savedtracks.me;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /api/me}: the caller's profile and library state, and deleting all their data.
 * <p>
 * "Delete my data" stays deleted (issue 12): nothing that finishes afterwards brings the
 * person back, every session of theirs ends, only their signed-in browser may ask for it,
 * and answers cached by clients before it are never mistaken for answers after it.
 */
class MeTest extends EmulatedSpotifyTest {

	private static final String[] TABLES = { "account where spotify_id", "spotify_token where account_id",
			"library where account_id", "library_track where account_id", "api_key where account_id" };

	@Autowired
	private MeterRegistry meters;

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
	void saysWhenTheSpotifyAuthorisationEndsInTheAnswerAndInAHeader() {
		BrowserSession browser = signedIn(newUser(5));
		Instant expected = Instant.now().atOffset(ZoneOffset.UTC).plusMonths(6).toInstant();

		HttpResponse<String> response = browser.api("/api/me");
		HttpResponse<String> tracks = browser.api("/api/saved-tracks");

		JsonNode me = json.readTree(response.body());
		Instant signInBefore = Instant.parse(me.get("signInBefore").asString());
		assertThat(signInBefore).isBetween(expected.minusSeconds(60), expected.plusSeconds(60));
		assertThat(me.get("signInDueSoon").asBoolean()).isFalse();
		assertThat(tracks.headers().firstValue("X-Sign-In-Before")).hasValue(signInBefore.toString());
	}

	@Test
	void fromFourteenDaysAheadThePersonIsToldToSignInAgainAndCounted() {
		EmulatedUser user = newUser(5);
		BrowserSession browser = signedIn(user);
		Instant authorizedAt = Instant.now().atOffset(ZoneOffset.UTC).minusMonths(6).plusDays(10).toInstant();
		this.jdbc.sql("update account set authorized_at = ? where spotify_id = ?")
			.params(Timestamp.from(authorizedAt), user.id())
			.update();

		JsonNode me = json.readTree(browser.api("/api/me").body());

		assertThat(me.get("signInDueSoon").asBoolean()).isTrue();
		assertThat(this.meters.get("accounts.sign_in_due").gauge().value()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void aNewSignInMovesTheDeadline() {
		EmulatedUser user = newUser(5);
		signedIn(user);
		this.jdbc.sql("update account set authorized_at = ? where spotify_id = ?")
			.params(Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")), user.id())
			.update();

		BrowserSession again = signedIn(user);

		JsonNode me = json.readTree(again.api("/api/me").body());
		assertThat(me.get("signInDueSoon").asBoolean()).isFalse();
		assertThat(Instant.parse(me.get("signInBefore").asString())).isAfter(Instant.now().plus(Duration.ofDays(170)));
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

	// Deleting stays deleted, whatever races it.

	@Test
	void tokenRefreshFinishingAfterTheDeletionRecreatesNothing() throws Exception {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.saveNewTracks(1);
		spotify.expireAccessTokens();
		spotify.tokenLatency(Duration.ofSeconds(1));
		spotify.counters().reset();

		CompletableFuture<HttpResponse<String>> refreshing = CompletableFuture
			.supplyAsync(() -> browser.api("/api/saved-tracks?refresh=true"));
		await().atMost(Duration.ofSeconds(10)).until(() -> spotify.counters().tokenRequests("refresh_token") > 0);
		HttpResponse<String> deleted = browser.write("DELETE", "/api/me", "");
		refreshing.get(30, TimeUnit.SECONDS);
		Thread.sleep(300);

		assertThat(deleted.statusCode()).isEqualTo(204);
		assertThat(rowsOf(user)).as("account, tokens, library, tracks and keys").containsOnly(0);
	}

	@Test
	void syncFinishingAfterTheDeletionServesNothingOfTheDeletedLibrary() throws Exception {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		String key = json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"racing\"}").body())
			.get("key")
			.asString();
		read(browser.api("/api/saved-tracks"));
		spotify.latency(Duration.ofSeconds(1));
		spotify.counters().reset();

		CompletableFuture<HttpResponse<String>> revalidating = CompletableFuture.supplyAsync(() -> BrowserSession
			.withKey(appUrl() + "/api/saved-tracks?refresh=true", key, "GET", "application/json"));
		await().atMost(Duration.ofSeconds(10)).until(() -> spotify.counters().tracksRequests() > 0);
		assertThat(browser.write("DELETE", "/api/me", "").statusCode()).isEqualTo(204);
		HttpResponse<String> answer = revalidating.get(30, TimeUnit.SECONDS);

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
		assertThat(answer.body()).doesNotContain(user.library().get(0).id());
		assertThat(rowsOf(user)).containsOnly(0);
	}

	@Test
	void deletingEndsEverySessionOfThePerson() {
		EmulatedUser user = newUser(3);
		BrowserSession laptop = signedIn(user);
		BrowserSession phone = signedIn(user);
		assertThat(phone.api("/api/me").statusCode()).isEqualTo(200);

		assertThat(laptop.write("DELETE", "/api/me", "").statusCode()).isEqualTo(204);

		assertThat(phone.api("/api/me").statusCode()).isEqualTo(401);
		assertThat(this.jdbc.sql("select count(*) from spring_session where principal_name = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void apiKeyCannotDeleteThePersonsData() {
		EmulatedUser user = newUser(3);
		BrowserSession browser = signedIn(user);
		String key = json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"reader\"}").body())
			.get("key")
			.asString();

		HttpResponse<String> response = BrowserSession.withKey(appUrl() + "/api/me", key, "DELETE", "application/json");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(rowsOf(user).get(0)).as("the account is still there").isEqualTo(1);
		assertThat(BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET", "application/json").statusCode())
			.isEqualTo(200);
	}

	@Test
	void etagFromBeforeADeletionDoesNotMatchTheLibraryAfterSigningInAgain() {
		EmulatedUser user = newUser(20);
		BrowserSession before = signedIn(user);
		String etag = before.api("/api/saved-tracks").headers().firstValue("ETag").orElseThrow();
		assertThat(before.write("DELETE", "/api/me", "").statusCode()).isEqualTo(204);
		user.removeTrackAt(0);

		BrowserSession after = signedIn(user);
		HttpResponse<String> response = after
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(appUrl() + "/api/saved-tracks"))
				.header("Accept", "application/json")
				.header("If-None-Match", etag)
				.GET()
				.build());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(ids(read(response))).containsExactlyElementsOf(ids(user.library()));
	}

	private java.util.List<Integer> rowsOf(EmulatedUser user) {
		return java.util.Arrays.stream(TABLES)
			.map(table -> this.jdbc.sql("select count(*) from " + table + " = ?")
				.param(user.id())
				.query(Integer.class)
				.single())
			.toList();
	}

}
