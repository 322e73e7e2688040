package dev.savedtracks.apikey;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2LoginAuthenticationFilter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.savedrequest.RequestCacheAwareFilter;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys: created from a signed-in browser, used by other services, scoped to their
 * owner, revocable.
 * <p>
 * The per-person key limit holds when one browser creates many keys at once (H2).
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeysTest extends EmulatedSpotifyTest {

	@Autowired
	private FilterChainProxy filterChains;

	@Autowired
	ApiKeySettings settings;

	@Test
	void createdKeyIsShownOnceAndListedWithoutItsSecret() {
		BrowserSession browser = signedIn(newUser(3));

		HttpResponse<String> created = browser.write("POST", "/api/keys", "{\"name\":\"home server\"}");

		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode key = json.readTree(created.body());
		assertThat(key.get("key").asString()).startsWith("sts_").hasSize(47);
		assertThat(key.get("name").asString()).isEqualTo("home server");
		assertThat(key.get("createdAt").asString()).isNotBlank();
		assertThat(key.get("expiresAt").asString()).isNotBlank();
		assertThat(created.headers().firstValue("Location")).hasValue("/api/keys/" + key.get("id").asString());
		HttpResponse<String> list = browser.api("/api/keys");
		assertThat(list.body()).contains("home server")
			.contains("lastUsedAt")
			.doesNotContain(key.get("key").asString());
	}

	@Test
	void keyIsStoredOnlyAsAHash() {
		BrowserSession browser = signedIn(newUser(1));

		String key = createKey(browser, "hash check");

		String dump = String.join("\n", this.jdbc.sql("script").query((rs, i) -> rs.getString(1)).list());
		assertThat(dump).doesNotContain(key).contains(ApiKeys.hash(key));
	}

	@Test
	void cookieCreationWithoutCsrfHeaderIsForbidden() {
		BrowserSession browser = signedIn(newUser(1));

		HttpResponse<String> forged = browser.writeWithoutCsrf("POST", "/api/keys", "{\"name\":\"forged\"}");
		HttpResponse<String> genuine = browser.write("POST", "/api/keys", "{\"name\":\"genuine\"}");

		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(forged.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(genuine.statusCode()).isEqualTo(201);
	}

	@Test
	void keyReadsTheLibraryWithoutCsrfOrSessionAndRecordsItsUse() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		String key = createKey(browser, "reader");

		HttpResponse<String> response = BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET",
				"application/json");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).get("total").asInt()).isEqualTo(120);
		assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SESSION"));
		assertThat(browser.api("/api/keys").body()).contains("\"lastUsedAt\":\"20");
	}

	@Test
	void keyOfOneUserNeverReadsAnotherUsersLibraryWhateverTheParameters() {
		EmulatedUser alice = newUser(30);
		EmulatedUser bob = newUser(7);
		signedIn(alice).api("/api/saved-tracks");
		String bobsKey = createKey(signedIn(bob), "bob");

		for (String query : List.of("", "?user=" + alice.id(), "?account=" + alice.id(), "?offset=0&limit=1000",
				"?refresh=true")) {
			HttpResponse<String> response = BrowserSession.withKey(appUrl() + "/api/saved-tracks" + query, bobsKey,
					"GET", "application/json", "X-Spotify-User", alice.id());
			JsonNode body = json.readTree(response.body());
			assertThat(body.get("total").asInt()).as(query).isEqualTo(7);
			assertThat(body.get("items").valueStream().map(i -> i.get("id").asString()))
				.containsExactlyElementsOf(bob.library().stream().map(t -> t.id()).toList());
		}
		HttpResponse<String> me = BrowserSession.withKey(appUrl() + "/api/me", bobsKey, "GET", "application/json");
		assertThat(json.readTree(me.body()).get("spotifyId").asString()).isEqualTo(bob.id());
	}

	@Test
	void unknownRevokedAndExpiredKeysGetTheSame401() {
		BrowserSession browser = signedIn(newUser(2));
		String revoked = createKey(browser, "to revoke");
		String revokedId = json.readTree(browser.api("/api/keys").body()).get(0).get("id").asString();
		assertThat(browser.write("DELETE", "/api/keys/" + revokedId, "").statusCode()).isEqualTo(204);
		String expired = createKey(browser, "to expire");
		this.jdbc.sql("update api_key set expires_at = timestamp '2020-01-01 00:00:00' where key_hash = ?")
			.param(ApiKeys.hash(expired))
			.update();
		String unknown = "sts_" + "A".repeat(43);

		List<HttpResponse<String>> answers = List.of(revoked, expired, unknown)
			.stream()
			.map(k -> BrowserSession.withKey(appUrl() + "/api/saved-tracks", k, "GET", "application/json"))
			.toList();

		assertThat(answers).allSatisfy(r -> {
			assertThat(r.statusCode()).isEqualTo(401);
			assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
			assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
		});
		assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
	}

	@Test
	void keyInTheQueryStringIsRefused(CapturedOutput output) {
		String key = createKey(signedIn(newUser(1)), "leaky");

		HttpResponse<String> asParameter = new BrowserSession(appUrl()).api("/api/saved-tracks?api_key=" + key);
		HttpResponse<String> asAccessToken = new BrowserSession(appUrl()).api("/api/saved-tracks?access_token=" + key);

		assertThat(asParameter.statusCode()).isEqualTo(400);
		assertThat(asAccessToken.statusCode()).isEqualTo(400);
		assertThat(asParameter.body()).contains("credential-in-query").doesNotContain(key);
		assertThat(output.getAll()).doesNotContain(key);
	}

	@Test
	void keysCannotManageKeys() {
		BrowserSession browser = signedIn(newUser(1));
		String key = createKey(browser, "limited");

		String id = json.readTree(browser.api("/api/keys").body()).get(0).get("id").asString();

		List<HttpResponse<String>> answers = List.of(
				BrowserSession.withKey(appUrl() + "/api/keys", key, "GET", "application/json"),
				BrowserSession.withKey(appUrl() + "/api/keys", key, "POST", "application/json"),
				BrowserSession.withKey(appUrl() + "/api/keys/" + id, key, "DELETE", "application/json"));

		assertThat(answers).allSatisfy(answer -> {
			assertThat(answer.statusCode()).isEqualTo(403);
			assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
		});
		assertThat(browser.api("/api/keys").body()).as("the key still exists").contains(id);
	}

	@Test
	void revokingSomeoneElsesKeyIsNotFound() {
		BrowserSession alice = signedIn(newUser(1));
		createKey(alice, "alice's");
		String alicesKeyId = json.readTree(alice.api("/api/keys").body()).get(0).get("id").asString();
		BrowserSession bob = signedIn(newUser(1));

		HttpResponse<String> response = bob.write("DELETE", "/api/keys/" + alicesKeyId, "");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(alice.api("/api/keys").body()).contains(alicesKeyId);
	}

	@Test
	void invalidNamesAndLifetimesAreRefused() {
		BrowserSession browser = signedIn(newUser(1));

		assertThat(browser.write("POST", "/api/keys", "{\"name\":\"\"}").statusCode()).isEqualTo(400);
		assertThat(browser.write("POST", "/api/keys", "{\"name\":\"" + "x".repeat(101) + "\"}").statusCode())
			.isEqualTo(400);
		assertThat(browser.write("POST", "/api/keys", "{\"name\":\"ok\",\"expiresInDays\":0}").statusCode())
			.isEqualTo(400);
		assertThat(browser.write("POST", "/api/keys", "not json").statusCode()).isEqualTo(400);
	}

	@Test
	void keyOfAPersonWhoMustSignInAgainSays401UnlessStaleDataIsAccepted() {
		EmulatedUser user = newUser(40);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		String key = createKey(browser, "stale ok");
		user.revoke();
		spotify.expireAccessTokens();

		HttpResponse<String> strict = BrowserSession.withKey(appUrl() + "/api/saved-tracks?refresh=true", key, "GET",
				"application/json");
		HttpResponse<String> lenient = BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET",
				"application/json", "Cache-Control", "max-stale");

		assertThat(strict.statusCode()).isEqualTo(401);
		assertThat(strict.body()).contains("reauthorization-required").contains("Sign in again");
		assertThat(lenient.statusCode()).isEqualTo(200);
		assertThat(lenient.headers().firstValue("X-Library-Stale")).hasValue("reauthorization-required");
		assertThat(json.readTree(lenient.body()).get("total").asInt()).isEqualTo(40);
	}

	private static String createKey(BrowserSession browser, String name) {
		HttpResponse<String> created = browser.write("POST", "/api/keys", "{\"name\":\"" + name + "\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).get("key").asString();
	}

	@Test
	void keyCallsPassOnlyTheStatelessFiltersWhileBrowsersKeepSessionsAndCsrf() {
		MockHttpServletRequest keyCall = new MockHttpServletRequest("GET", "/api/saved-tracks");
		keyCall.addHeader("Authorization", "bearer sts_anything");
		MockHttpServletRequest browserCall = new MockHttpServletRequest("GET", "/api/saved-tracks");

		List<Class<?>> forKeys = filtersFor(keyCall);
		List<Class<?>> forBrowsers = filtersFor(browserCall);

		assertThat(forKeys).contains(BearerTokenAuthenticationFilter.class, ApiKeyInQueryFilter.class)
			.doesNotContain(CsrfFilter.class, LogoutFilter.class, OAuth2LoginAuthenticationFilter.class,
					OAuth2AuthorizationRequestRedirectFilter.class, RequestCacheAwareFilter.class,
					AnonymousAuthenticationFilter.class);
		assertThat(forBrowsers).contains(CsrfFilter.class, LogoutFilter.class, OAuth2LoginAuthenticationFilter.class,
				ApiKeyInQueryFilter.class);
	}

	private List<Class<?>> filtersFor(MockHttpServletRequest request) {
		return this.filterChains.getFilterChains()
			.stream()
			.filter(chain -> chain.matches(request))
			.findFirst()
			.orElseThrow()
			.getFilters()
			.stream()
			.<Class<?>>map(Object::getClass)
			.toList();
	}

	// The per-person key limit, under parallel creation (H2).

	@Test
	void parallelCreationStopsExactlyAtTheLimit() throws Exception {
		EmulatedUser user = newUser(1);
		BrowserSession browser = signedIn(user);
		int limit = this.settings.maxPerAccount();

		List<Integer> statuses = createInParallel(browser, limit + 10);

		assertThat(statuses).filteredOn(status -> status == 201).hasSize(limit);
		assertThat(statuses).filteredOn(status -> status == 409).hasSize(10);
		assertThat(keysHeld(user)).isEqualTo(limit);
	}

	/** Keys created at the same moment; the answers' statuses. */
	static List<Integer> createInParallel(BrowserSession browser, int requests) {
		List<String> bodies = IntStream.range(0, requests).mapToObj(i -> "{\"name\":\"parallel " + i + "\"}").toList();
		return browser.writeAtOnce("POST", "/api/keys", bodies).stream().map(answer -> {
			assertThat(answer.statusCode()).as(answer.body()).isIn(201, 409);
			return answer.statusCode();
		}).toList();
	}

	private long keysHeld(EmulatedUser user) {
		return this.jdbc.sql("select count(*) from api_key where account_id = ?")
			.param(user.id())
			.query(Long.class)
			.single();
	}

}
