package dev.savedtracks.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves that the Spotify emulator speaks the protocol of /work/shared/spotify-web-api.md and injects its faults. */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the build.
@Timeout(10)
class SpotifyEmulatorTest {

	private static final String REDIRECT_URI = "http://127.0.0.1:8080/login/oauth2/code/spotify";

	private static final JsonMapper JSON = JsonMapper.shared();

	// HTTP/1.1 only: the JDK server does not speak h2c, and redirects must stay visible to the tests.
	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private SpotifyEmulator emulator;

	@BeforeEach
	void startEmulator() {
		this.emulator = SpotifyEmulator.start().allowRedirectUri(REDIRECT_URI);
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	// --- accounts service: authorize -------------------------------------------------------------------------

	@Test
	void consentPageCarriesEveryQueryParameterAsEscapedHiddenInputWithoutJavaScript() throws Exception {
		Map<String, String> params = authorizeParams("st<\"&'>");
		params.put("show_dialog", "true");
		HttpResponse<String> page = get(this.emulator.accountsUrl() + "/authorize?" + form(params), null);

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		String html = page.body();
		assertThat(html).contains("<title>Log in to Spotify (emulator)</title>")
			.contains("<form method=\"post\" action=\"" + this.emulator.accountsUrl() + "/authorize\">")
			.contains("<label for=\"username\">")
			.contains("id=\"username\" name=\"username\"")
			.contains("<button type=\"submit\" name=\"action\" value=\"accept\">Agree</button>")
			.contains("<button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>")
			.contains("<input type=\"hidden\" name=\"state\" value=\"st&lt;&quot;&amp;&#39;&gt;\">")
			.contains("<input type=\"hidden\" name=\"redirect_uri\" value=\"" + REDIRECT_URI + "\">")
			.contains("<input type=\"hidden\" name=\"show_dialog\" value=\"true\">")
			.contains("<input type=\"hidden\" name=\"client_id\" value=\"emulator-client-id\">")
			.doesNotContain("st<\"")
			.doesNotContainIgnoringCase("<script");
		assertThat(this.emulator.counters().authorizeRequests()).isEqualTo(1);
	}

	@Test
	void agreeingRedirectsWithCodeAndStateAndCreatesUserWithDefaultLibrary() throws Exception {
		this.emulator.defaultLibrarySize(7);
		HttpResponse<String> redirect = submitConsent(authorizeParams("s t&ate"), "accept", "new.user-1");

		assertThat(redirect.statusCode()).isEqualTo(302);
		URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith(REDIRECT_URI + "?code=");
		assertThat(query(location)).containsEntry("state", "s t&ate").containsKey("code");
		EmulatedUser user = this.emulator.findUser("new.user-1").orElseThrow();
		assertThat(user.library()).hasSize(7);
		assertThat(user.displayName()).isEqualTo("New.user-1");
	}

	@Test
	void agreeingWithoutStateOmitsStateFromRedirect() throws Exception {
		Map<String, String> params = authorizeParams("unused");
		params.remove("state");
		HttpResponse<String> redirect = submitConsent(params, "accept", "alice");

		assertThat(query(location(redirect))).containsOnlyKeys("code");
	}

	@Test
	void cancellingRedirectsWithAccessDeniedAndState() throws Exception {
		HttpResponse<String> redirect = submitConsent(authorizeParams("xyz"), "cancel", "alice");

		assertThat(redirect.statusCode()).isEqualTo(302);
		assertThat(query(location(redirect))).containsEntry("error", "access_denied")
			.containsEntry("state", "xyz")
			.doesNotContainKey("code");
		assertThat(this.emulator.findUser("alice")).isEmpty();
	}

	@Test
	void invalidUsernameRerendersConsentPageWithError() throws Exception {
		HttpResponse<String> page = submitConsent(authorizeParams("s"), "accept", "bad name<>");

		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("role=\"alert\"")
			.contains("value=\"bad name&lt;&gt;\"")
			.contains("<input type=\"hidden\" name=\"state\" value=\"s\">");
	}

	@Test
	void localhostRedirectUriIsRefusedAsInsecureEvenWhenRegistered() throws Exception {
		String localhost = "http://localhost:8080/login/oauth2/code/spotify";
		this.emulator.allowRedirectUri(localhost).allowRedirectUri("http://example.com/callback");

		HttpResponse<String> refused = authorizePage(Map.of("redirect_uri", localhost));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("INVALID_CLIENT: Insecure redirect URI");

		HttpResponse<String> plainHttp = authorizePage(Map.of("redirect_uri", "http://example.com/callback"));
		assertThat(plainHttp.statusCode()).isEqualTo(400);
		assertThat(plainHttp.body()).contains("INVALID_CLIENT: Insecure redirect URI");

		HttpResponse<String> unregistered = authorizePage(Map.of("redirect_uri", "https://app.example.com/cb"));
		assertThat(unregistered.statusCode()).isEqualTo(400);
		assertThat(unregistered.body()).contains("INVALID_CLIENT: Invalid redirect URI");

		HttpResponse<String> unknownClient = authorizePage(Map.of("client_id", "someone-else"));
		assertThat(unknownClient.statusCode()).isEqualTo(400);
		assertThat(unknownClient.body()).contains("INVALID_CLIENT: Invalid client");
	}

	@Test
	void ipv6LoopbackAndHttpsRedirectUrisAreAccepted() throws Exception {
		this.emulator.allowRedirectUri("http://[::1]:9000/cb").allowRedirectUri("https://app.example.com/cb");

		assertThat(authorizePage(Map.of("redirect_uri", "http://[::1]:9000/cb")).statusCode()).isEqualTo(200);
		assertThat(authorizePage(Map.of("redirect_uri", "https://app.example.com/cb")).statusCode()).isEqualTo(200);
	}

	@Test
	void wrongResponseTypeOrPlainPkceMethodRedirectsWithError() throws Exception {
		HttpResponse<String> token = authorizePage(Map.of("response_type", "token"));
		assertThat(token.statusCode()).isEqualTo(302);
		assertThat(query(location(token))).containsEntry("error", "unsupported_response_type");

		HttpResponse<String> plain = authorizePage(
				Map.of("code_challenge", challenge(verifier()), "code_challenge_method", "plain"));
		assertThat(plain.statusCode()).isEqualTo(302);
		assertThat(query(location(plain))).containsEntry("error", "invalid_request").containsEntry("state", "state-1");
	}

	// --- accounts service: token ---------------------------------------------------------------------------

	@Test
	void codeExchangeWithCorrectPkceVerifierIssuesSpotifyStyleTokens() throws Exception {
		String verifier = verifier();
		String code = signIn("alice", challenge(verifier));

		HttpResponse<String> response = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				REDIRECT_URI, "code_verifier", verifier));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		JsonNode body = json(response);
		assertThat(body.path("access_token").stringValue()).startsWith("BQ").hasSizeGreaterThan(40);
		assertThat(body.path("refresh_token").stringValue()).startsWith("AQ").hasSizeGreaterThan(40);
		assertThat(body.path("token_type").stringValue()).isEqualTo("Bearer");
		assertThat(body.path("scope").stringValue()).isEqualTo("user-library-read");
		assertThat(body.path("expires_in").asInt()).isEqualTo(3600);
		assertThat(get(this.emulator.apiUrl() + "/v1/me", body.path("access_token").stringValue()).statusCode())
			.isEqualTo(200);
	}

	@Test
	void codeExchangeWithWrongOrMissingVerifierIsInvalidGrant() throws Exception {
		String wrong = signIn("alice", challenge(verifier()));
		assertInvalidGrant(token(Map.of("grant_type", "authorization_code", "code", wrong, "redirect_uri",
				REDIRECT_URI, "code_verifier", verifier())), "code_verifier was incorrect");

		String missing = signIn("alice", challenge(verifier()));
		assertInvalidGrant(token(Map.of("grant_type", "authorization_code", "code", missing, "redirect_uri",
				REDIRECT_URI)), "code_verifier was incorrect");
	}

	@Test
	void authorizationCodeIsUsableOnlyOnce() throws Exception {
		String code = signIn("alice", null);
		Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				REDIRECT_URI);

		assertThat(token(exchange).statusCode()).isEqualTo(200);
		assertInvalidGrant(token(exchange), "Invalid authorization code");
		assertInvalidGrant(token(Map.of("grant_type", "authorization_code", "code", "made-up", "redirect_uri",
				REDIRECT_URI)), "Invalid authorization code");
	}

	@Test
	void codeExchangeWithOtherRedirectUriIsInvalidGrant() throws Exception {
		String code = signIn("alice", null);

		assertInvalidGrant(token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				"http://127.0.0.1:9999/other")), "Invalid redirect URI");
	}

	@Test
	void tokenEndpointRequiresBasicAuthAndRefusesCredentialsInTheBody() throws Exception {
		String code = signIn("alice", null);
		Map<String, String> params = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
				"redirect_uri", REDIRECT_URI, "client_id", this.emulator.clientId(), "client_secret",
				this.emulator.clientSecret()));

		HttpResponse<String> bodyCredentials = post(this.emulator.accountsUrl() + "/api/token", params, null);
		assertThat(bodyCredentials.statusCode()).isEqualTo(400);
		assertThat(json(bodyCredentials).path("error").stringValue()).isEqualTo("invalid_client");
		assertThat(json(bodyCredentials).path("error_description").stringValue()).isEqualTo("Invalid client");

		HttpResponse<String> wrongSecret = post(this.emulator.accountsUrl() + "/api/token", params,
				basic(this.emulator.clientId(), "wrong"));
		assertThat(json(wrongSecret).path("error").stringValue()).isEqualTo("invalid_client");

		HttpResponse<String> unsupported = token(Map.of("grant_type", "client_credentials"));
		assertThat(unsupported.statusCode()).isEqualTo(400);
		assertThat(json(unsupported).path("error").stringValue()).isEqualTo("unsupported_grant_type");
	}

	@Test
	void refreshWithoutRotationAnswersNoRefreshTokenAndTheOldOneKeepsWorking() throws Exception {
		String refreshToken = json(exchangeNewCode("alice")).path("refresh_token").stringValue();

		JsonNode first = json(refresh(refreshToken));
		JsonNode second = json(refresh(refreshToken));

		assertThat(first.has("refresh_token")).isFalse();
		assertThat(first.path("access_token").stringValue()).startsWith("BQ");
		assertThat(second.path("access_token").stringValue()).isNotEqualTo(first.path("access_token").stringValue());
		assertThat(this.emulator.counters().tokenRequests("refresh_token")).isEqualTo(2);
		assertThat(this.emulator.counters().tokenRequests("authorization_code")).isEqualTo(1);
	}

	@Test
	void refreshWithRotationAnswersNewRefreshTokenAndInvalidatesTheOldOne() throws Exception {
		this.emulator.rotateRefreshTokens(true);
		String original = json(exchangeNewCode("alice")).path("refresh_token").stringValue();

		JsonNode rotated = json(refresh(original));

		String replacement = rotated.path("refresh_token").stringValue();
		assertThat(replacement).startsWith("AQ").isNotEqualTo(original);
		assertInvalidGrant(refresh(original), "Refresh token revoked");
		assertThat(refresh(replacement).statusCode()).isEqualTo(200);
	}

	@Test
	void revokedUserGetsInvalidGrantOnRefreshAnd401FromTheApiUntilSigningInAgain() throws Exception {
		JsonNode tokens = json(exchangeNewCode("alice"));
		this.emulator.user("alice").revoke();

		assertInvalidGrant(refresh(tokens.path("refresh_token").stringValue()), "Refresh token revoked");
		assertApiError(get(this.emulator.apiUrl() + "/v1/me", tokens.path("access_token").stringValue()), 401,
				"Invalid access token");
		assertThat(exchangeNewCode("alice").statusCode()).isEqualTo(200);
	}

	@Test
	void refreshTokensExpireFromTheOriginalAuthorizationEvenWhenRotated() throws Exception {
		this.emulator.rotateRefreshTokens(true);
		String original = json(exchangeNewCode("alice")).path("refresh_token").stringValue();
		String rotated = json(refresh(original)).path("refresh_token").stringValue();

		this.emulator.expireRefreshTokens();

		assertInvalidGrant(refresh(rotated), "Refresh token expired");
	}

	@Test
	void accessTokenLifetimeIsReportedInWholeSecondsOfAtLeastOne() throws Exception {
		this.emulator.accessTokenLifetime(Duration.ofMillis(300));

		JsonNode tokens = json(exchangeNewCode("alice"));

		assertThat(tokens.path("expires_in").asInt()).isEqualTo(1);
		Thread.sleep(400);
		assertApiError(get(this.emulator.apiUrl() + "/v1/me", tokens.path("access_token").stringValue()), 401,
				"The access token expired");
	}

	// --- Web API: authentication and profile ---------------------------------------------------------------

	@Test
	void webApiAnswers401And403LikeSpotify() throws Exception {
		String me = this.emulator.apiUrl() + "/v1/me";
		String token = this.emulator.issueAccessToken("alice");

		assertApiError(get(me, null), 401, "No token provided");
		assertApiError(get(me, "BQnot-a-real-token"), 401, "Invalid access token");
		this.emulator.expireAccessTokens();
		HttpResponse<String> expired = get(me, token);
		assertApiError(expired, 401, "The access token expired");
		assertThat(expired.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));

		String fresh = this.emulator.issueAccessToken("alice");
		this.emulator.user("alice").denyAccess(true);
		assertApiError(get(me, fresh), 403,
				"Check settings on developer.spotify.com/dashboard, the user may not be registered.");
		this.emulator.user("alice").denyAccess(false);
		assertThat(get(me, fresh).statusCode()).isEqualTo(200);
	}

	@Test
	void profileHasNoFieldsRemovedForDevelopmentModeApps() throws Exception {
		this.emulator.user("bob").displayName("Bob \"the\" Böb");

		JsonNode me = json(get(this.emulator.apiUrl() + "/v1/me", this.emulator.issueAccessToken("bob")));

		assertThat(me.propertyNames()).containsExactly("display_name", "external_urls", "href", "id", "images",
				"type", "uri");
		assertThat(me.path("display_name").stringValue()).isEqualTo("Bob \"the\" Böb");
		assertThat(me.path("id").stringValue()).isEqualTo("bob");
		assertThat(me.path("uri").stringValue()).isEqualTo("spotify:user:bob");
		assertThat(me.path("href").stringValue()).isEqualTo(this.emulator.apiUrl() + "/v1/users/bob");
		assertThat(me.path("external_urls").path("spotify").stringValue())
			.isEqualTo("https://open.spotify.com/user/bob");
		assertThat(this.emulator.counters().meRequests()).isEqualTo(1);
	}

	@Test
	void unknownPathsAnswerServiceNotFound() throws Exception {
		String token = this.emulator.issueAccessToken("alice");

		assertApiError(get(this.emulator.apiUrl() + "/v1/me/playlists", token), 404, "Service not found");
		assertApiError(get("http://127.0.0.1:" + this.emulator.port() + "/v2/me", token), 404, "Service not found");
	}

	@Test
	void webApiIsAlsoServedAtTheRootForLibrariesWithoutABasePath() throws Exception {
		String token = this.emulator.issueAccessToken("alice");

		HttpResponse<String> me = get("http://127.0.0.1:" + this.emulator.port() + "/v1/me", token);

		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).contains("\"id\":\"alice\"");
	}

	// --- Web API: saved tracks -----------------------------------------------------------------------------

	@Test
	void pagingObjectOfAnEmptyLibrary() throws Exception {
		JsonNode page = tracks("alice", 0, 50);

		assertThat(page.propertyNames()).containsExactly("href", "items", "limit", "next", "offset", "previous",
				"total");
		assertThat(page.path("href").stringValue()).isEqualTo(tracksUrl(0, 50));
		assertThat(page.path("items").size()).isZero();
		assertThat(page.path("total").asInt()).isZero();
		assertThat(page.path("next").isNull()).isTrue();
		assertThat(page.path("previous").isNull()).isTrue();
	}

	@Test
	void pagingObjectOfOneFiftyAndFiftyOneTracks() throws Exception {
		this.emulator.user("one").generateLibrary(1);
		this.emulator.user("fifty").generateLibrary(50);
		this.emulator.user("fiftyone").generateLibrary(51);

		JsonNode one = tracks("one", 0, 50);
		assertThat(one.path("items").size()).isEqualTo(1);
		assertThat(one.path("next").isNull()).isTrue();

		JsonNode fifty = tracks("fifty", 0, 50);
		assertThat(fifty.path("items").size()).isEqualTo(50);
		assertThat(fifty.path("total").asInt()).isEqualTo(50);
		assertThat(fifty.path("next").isNull()).isTrue();

		JsonNode first = tracks("fiftyone", 0, 50);
		assertThat(first.path("items").size()).isEqualTo(50);
		assertThat(first.path("total").asInt()).isEqualTo(51);
		assertThat(first.path("next").stringValue()).isEqualTo(tracksUrl(50, 50));
		assertThat(first.path("previous").isNull()).isTrue();
		JsonNode second = tracks("fiftyone", 50, 50);
		assertThat(second.path("items").size()).isEqualTo(1);
		assertThat(second.path("offset").asInt()).isEqualTo(50);
		assertThat(second.path("next").isNull()).isTrue();
		assertThat(second.path("previous").stringValue()).isEqualTo(tracksUrl(0, 50));
	}

	@Test
	void limitAndOffsetDefaultTo20And0AndAreValidated() throws Exception {
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.user("alice").generateLibrary(30);

		JsonNode defaults = json(get(this.emulator.apiUrl() + "/v1/me/tracks", token));
		assertThat(defaults.path("limit").asInt()).isEqualTo(20);
		assertThat(defaults.path("offset").asInt()).isZero();
		assertThat(defaults.path("items").size()).isEqualTo(20);
		assertThat(defaults.path("next").stringValue()).isEqualTo(tracksUrl(20, 20));

		assertApiError(get(this.emulator.apiUrl() + "/v1/me/tracks?limit=51", token), 400, "Invalid limit");
		assertApiError(get(this.emulator.apiUrl() + "/v1/me/tracks?limit=0", token), 400, "Invalid limit");
		assertApiError(get(this.emulator.apiUrl() + "/v1/me/tracks?limit=ten", token), 400, "Invalid limit");
		assertApiError(get(this.emulator.apiUrl() + "/v1/me/tracks?offset=-1", token), 400, "Invalid offset");
		assertThat(this.emulator.counters().tracksRequestLog()).extracting(RequestRecord::status)
			.containsExactly(200, 400, 400, 400, 400);
	}

	@Test
	void tracksNeedTheLibraryScope() throws Exception {
		String verifier = verifier();
		Map<String, String> params = authorizeParams("s");
		params.put("scope", "user-read-private");
		params.put("code_challenge", challenge(verifier));
		params.put("code_challenge_method", "S256");
		String code = query(location(submitConsent(params, "accept", "alice"))).get("code");
		String token = json(token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				REDIRECT_URI, "code_verifier", verifier))).path("access_token").stringValue();

		assertApiError(get(tracksUrl(0, 50), token), 403, "Insufficient client scope");
	}

	@Test
	void generatedTracksLookLikeSpotifysWithoutRemovedFields() throws Exception {
		this.emulator.user("alice").generateLibrary(120);

		List<JsonNode> items = new ArrayList<>();
		for (int offset = 0; offset < 120; offset += 50) {
			tracks("alice", offset, 50).path("items").forEach(items::add);
		}

		assertThat(items).hasSize(120);
		Set<String> ids = new HashSet<>();
		Instant previous = Instant.MAX;
		for (JsonNode item : items) {
			Instant addedAt = Instant.parse(item.path("added_at").stringValue());
			assertThat(item.path("added_at").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
			assertThat(addedAt).isBefore(previous);
			previous = addedAt;
			JsonNode track = item.path("track");
			assertThat(track.has("available_markets")).isFalse();
			assertThat(track.has("popularity")).isFalse();
			assertThat(track.path("id").stringValue()).matches("[0-9A-Za-z]{22}");
			assertThat(ids.add(track.path("id").stringValue())).isTrue();
			assertThat(track.path("uri").stringValue()).isEqualTo("spotify:track:" + track.path("id").stringValue());
			assertThat(track.path("name").stringValue()).matches("Track \\d{4} – \\w+");
			assertThat(track.path("artists").size()).isBetween(1, 3);
			assertThat(track.path("artists").path(0).path("uri").stringValue()).startsWith("spotify:artist:");
			assertThat(track.path("album").path("uri").stringValue()).startsWith("spotify:album:");
			assertThat(track.path("type").stringValue()).isEqualTo("track");
			assertThat(track.path("is_local").asBoolean()).isFalse();
			assertThat(track.path("album").has("available_markets")).isFalse();
		}
		// Track 97 (index 120 - 97 = 23) lacks ISRC and images; track 50 (index 70) lacks a release date.
		JsonNode missingIsrc = items.get(23).path("track");
		assertThat(missingIsrc.path("name").stringValue()).startsWith("Track 0097");
		assertThat(missingIsrc.path("external_ids").has("isrc")).isFalse();
		assertThat(missingIsrc.path("album").path("images").isNull()).isTrue();
		JsonNode missingDate = items.get(70).path("track");
		assertThat(missingDate.path("name").stringValue()).startsWith("Track 0050");
		assertThat(missingDate.path("album").has("release_date")).isFalse();
		JsonNode complete = items.get(0).path("track");
		assertThat(complete.path("external_ids").path("isrc").stringValue()).matches("[A-Z0-9]{12}");
		assertThat(complete.path("album").path("release_date").stringValue()).matches("\\d{4}-\\d\\d-\\d\\d");
		assertThat(complete.path("album").path("images").path(0).path("url").stringValue())
			.matches("https://i\\.scdn\\.co/image/[0-9a-f]{40}");
	}

	@Test
	void generatedLibrariesAreDeterministicPerUserId() {
		try (SpotifyEmulator other = SpotifyEmulator.start()) {
			assertThat(other.user("alice").generateLibrary(30).library())
				.isEqualTo(this.emulator.user("alice").generateLibrary(30).library());
			assertThat(other.user("bob").generateLibrary(30).library().get(0).id())
				.isNotEqualTo(this.emulator.user("alice").library().get(0).id());
		}
	}

	@Test
	void handMadeAndLocalTracksRoundTripExactly() throws Exception {
		String tricky = "Comma, \"quote\"\nnewline – naïve 東京 🎵";
		this.emulator.user("alice")
			.saveTrack(SavedTrack.of("4uLU6hMCjMI75M1A2tKUQC", tricky, "Sigur Rós, \"Jónsi\""))
			.saveTrack(SavedTrack.local("My Demo", "Me & You", "Garage", 125_900))
			.saveTrack(SavedTrack.of("0000000000000000000001", "No album", "X").withAlbum(null).withIsrc(null));

		JsonNode items = tracks("alice", 0, 50).path("items");

		JsonNode noAlbum = items.path(0).path("track");
		assertThat(noAlbum.path("album").isNull()).isTrue();
		assertThat(noAlbum.path("external_ids").size()).isZero();
		JsonNode local = items.path(1).path("track");
		assertThat(local.path("id").isNull()).isTrue();
		assertThat(local.path("is_local").asBoolean()).isTrue();
		assertThat(local.path("uri").stringValue()).isEqualTo("spotify:local:Me+%26+You:Garage:My+Demo:125");
		JsonNode handMade = items.path(2).path("track");
		assertThat(handMade.path("name").stringValue()).isEqualTo(tricky);
		assertThat(handMade.path("artists").path(0).path("name").stringValue()).isEqualTo("Sigur Rós, \"Jónsi\"");
		assertThat(handMade.path("id").stringValue()).isEqualTo("4uLU6hMCjMI75M1A2tKUQC");
	}

	@Test
	void savesGoToTheTopAndRemovalsShiftTheRest() {
		EmulatedUser user = this.emulator.user("alice").generateLibrary(5);
		List<SavedTrack> before = user.library();

		user.saveNewTracks(2);
		List<SavedTrack> afterSave = user.library();
		assertThat(afterSave).hasSize(7);
		assertThat(afterSave.subList(2, 7)).isEqualTo(before);
		assertThat(afterSave.get(0).addedAt()).isAfter(afterSave.get(1).addedAt());
		assertThat(afterSave.get(1).addedAt()).isAfter(before.get(0).addedAt());
		assertThat(afterSave.get(0).name()).startsWith("Track 0007");

		user.saveTrack(before.get(3));
		assertThat(user.library()).hasSize(7);
		assertThat(user.library().get(0).id()).isEqualTo(before.get(3).id());
		assertThat(user.library().get(0).addedAt()).isAfter(afterSave.get(0).addedAt());

		user.removeTrackAt(1);
		assertThat(user.library()).hasSize(6);
		assertThat(user.library().get(1)).isEqualTo(afterSave.get(1));
	}

	// --- faults --------------------------------------------------------------------------------------------

	@Test
	void statusAndRateLimitFaultsAnswerSpotifyErrors() throws Exception {
		this.emulator.user("alice").generateLibrary(3);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults()
			.next(Fault.status(503))
			.next(Fault.rateLimited(7))
			.next(Fault.rateLimitedWithoutRetryAfter())
			.next(Fault.quotaExceeded())
			.next(Fault.expiredToken());

		assertApiError(get(tracksUrl(0, 50), token), 503, "Service unavailable");
		HttpResponse<String> limited = get(tracksUrl(0, 50), token);
		assertApiError(limited, 429, "API rate limit exceeded");
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
		HttpResponse<String> noRetryAfter = get(tracksUrl(0, 50), token);
		assertThat(noRetryAfter.statusCode()).isEqualTo(429);
		assertThat(noRetryAfter.headers().firstValue("Retry-After")).isEmpty();
		HttpResponse<String> quota = get(tracksUrl(0, 50), token);
		assertThat(quota.statusCode()).isEqualTo(429);
		assertThat(quota.headers().firstValue("Retry-After")).hasValue("30");
		assertThat(json(quota).path("error").path("reason").stringValue()).isEqualTo("QUOTA_EXCEEDED");
		assertApiError(get(tracksUrl(0, 50), token), 401, "The access token expired");
		assertThat(get(tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
		assertThat(this.emulator.counters().tracksRequestLog()).extracting(RequestRecord::status)
			.containsExactly(503, 429, 429, 429, 401, 200);
	}

	@Test
	void truncatedBodyCutsTheConnectionBeforeContentLengthIsReached() throws Exception {
		this.emulator.user("alice").generateLibrary(50);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults().next(Fault.truncatedBody());

		// Asynchronously with a deadline: HttpClient's request timeout stops at the headers, not the body.
		CompletableFuture<HttpResponse<String>> cut = HTTP.sendAsync(request(tracksUrl(0, 50), token).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> cut.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(IOException.class);
		assertThat(get(tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
	}

	@Test
	void malformedJsonIsAnUnparsable200() throws Exception {
		this.emulator.user("alice").generateLibrary(5);
		this.emulator.faults().next(Fault.malformedJson());

		HttpResponse<String> response = get(tracksUrl(0, 50), this.emulator.issueAccessToken("alice"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(JacksonException.class);
	}

	@Test
	void foreignNextLinkAndEmptyPageWithNextFalsifyThePage() throws Exception {
		this.emulator.user("alice").generateLibrary(120);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults().next(Fault.foreignNextLink()).next(Fault.emptyPageWithNext());

		JsonNode foreign = json(get(tracksUrl(50, 50), token));
		assertThat(foreign.path("next").stringValue()).startsWith("https://evil.example.net/v1/me/tracks?offset=100");
		assertThat(foreign.path("items").size()).isEqualTo(50);

		JsonNode empty = json(get(tracksUrl(0, 50), token));
		assertThat(empty.path("items").size()).isZero();
		assertThat(empty.path("total").asInt()).isEqualTo(120);
		assertThat(empty.path("next").stringValue()).isEqualTo(tracksUrl(50, 50));
	}

	@Test
	void delayFaultAnswersNormallyButLate() throws Exception {
		this.emulator.user("alice").generateLibrary(5);
		this.emulator.faults().next(Fault.delay(Duration.ofMillis(300)));
		String token = this.emulator.issueAccessToken("alice");

		long start = System.nanoTime();
		HttpResponse<String> response = get(tracksUrl(0, 50), token);

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(json(response).path("total").asInt()).isEqualTo(5);
	}

	@Test
	void offsetFaultsTakePrecedenceOverTheQueueAndRunOutAfterTheirCount() throws Exception {
		this.emulator.user("alice").generateLibrary(120);
		String token = this.emulator.issueAccessToken("alice");
		this.emulator.faults().nextTimes(2, Fault.status(500)).atOffset(50, Fault.status(502), 2);

		assertThat(get(tracksUrl(50, 50), token).statusCode()).isEqualTo(502);
		assertThat(get(tracksUrl(0, 50), token).statusCode()).isEqualTo(500);
		assertThat(get(tracksUrl(50, 50), token).statusCode()).isEqualTo(502);
		assertThat(get(tracksUrl(50, 50), token).statusCode()).isEqualTo(500);
		assertThat(get(tracksUrl(50, 50), token).statusCode()).isEqualTo(200);

		this.emulator.faults().next(Fault.status(500));
		this.emulator.faults().clear();
		assertThat(get(tracksUrl(0, 50), token).statusCode()).isEqualTo(200);
	}

	@Test
	void afterRequestHookRunsOnceWithTheOffsetAndIsVisibleToTheNextRequest() throws Exception {
		EmulatedUser user = this.emulator.user("alice").generateLibrary(60);
		String token = this.emulator.issueAccessToken("alice");
		List<Integer> offsets = new CopyOnWriteArrayList<>();
		this.emulator.faults().afterRequest((offset) -> {
			offsets.add(offset);
			user.saveNewTracks(3);
		});

		JsonNode first = json(get(tracksUrl(0, 50), token));
		JsonNode second = json(get(tracksUrl(50, 50), token));

		assertThat(offsets).containsExactly(0);
		assertThat(first.path("total").asInt()).isEqualTo(60);
		assertThat(second.path("total").asInt()).isEqualTo(63);
	}

	// --- counters and concurrency --------------------------------------------------------------------------

	@Test
	void parallelRequestsWithLatencyOverlapAndAreCounted() throws Exception {
		this.emulator.user("alice").generateLibrary(400);
		this.emulator.latency(Duration.ofMillis(200));
		String token = this.emulator.issueAccessToken("alice");

		long start = System.nanoTime();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int page = 0; page < 8; page++) {
			responses.add(HTTP.sendAsync(request(tracksUrl(page * 50, 50), token).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		CompletableFuture.allOf(responses.toArray(new CompletableFuture<?>[0])).join();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		assertThat(elapsed).isLessThan(Duration.ofMillis(8 * 200));
		Counters counters = this.emulator.counters();
		assertThat(counters.tracksRequests()).isEqualTo(8);
		assertThat(counters.maxConcurrentTracksRequests()).isGreaterThanOrEqualTo(2);
		assertThat(counters.tracksRequestLog()).hasSize(8)
			.allSatisfy((record) -> assertThat(record.limit()).isEqualTo(50))
			.extracting(RequestRecord::offset)
			.containsExactlyInAnyOrder(0, 50, 100, 150, 200, 250, 300, 350);

		counters.reset();
		assertThat(counters.tracksRequests()).isZero();
		assertThat(counters.maxConcurrentTracksRequests()).isZero();
		assertThat(counters.tracksRequestLog()).isEmpty();
	}

	// --- helpers -------------------------------------------------------------------------------------------

	private Map<String, String> authorizeParams(String state) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("client_id", this.emulator.clientId());
		params.put("response_type", "code");
		params.put("redirect_uri", REDIRECT_URI);
		params.put("state", state);
		params.put("scope", "user-library-read");
		return params;
	}

	/** GET /authorize with the default parameters overridden by {@code overrides}. */
	private HttpResponse<String> authorizePage(Map<String, String> overrides) throws Exception {
		Map<String, String> params = authorizeParams("state-1");
		params.putAll(overrides);
		return get(this.emulator.accountsUrl() + "/authorize?" + form(params), null);
	}

	/** Loads the consent page like a browser, then submits it with the given button and username. */
	private HttpResponse<String> submitConsent(Map<String, String> params, String action, String username)
			throws Exception {
		assertThat(get(this.emulator.accountsUrl() + "/authorize?" + form(params), null).statusCode()).isEqualTo(200);
		Map<String, String> submitted = new LinkedHashMap<>(params);
		submitted.put("username", username);
		submitted.put("action", action);
		return post(this.emulator.accountsUrl() + "/authorize", submitted, null);
	}

	/** Signs {@code username} in and returns the authorization code. */
	private String signIn(String username, @Nullable String codeChallenge) throws Exception {
		Map<String, String> params = authorizeParams("s");
		if (codeChallenge != null) {
			params.put("code_challenge", codeChallenge);
			params.put("code_challenge_method", "S256");
		}
		return query(location(submitConsent(params, "accept", username))).get("code");
	}

	private HttpResponse<String> exchangeNewCode(String username) throws Exception {
		String verifier = verifier();
		String code = signIn(username, challenge(verifier));
		return token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI,
				"code_verifier", verifier));
	}

	private HttpResponse<String> refresh(String refreshToken) throws Exception {
		return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
	}

	private HttpResponse<String> token(Map<String, String> params) throws Exception {
		return post(this.emulator.accountsUrl() + "/api/token", params,
				basic(this.emulator.clientId(), this.emulator.clientSecret()));
	}

	private JsonNode tracks(String userId, int offset, int limit) throws Exception {
		HttpResponse<String> response = get(tracksUrl(offset, limit), this.emulator.issueAccessToken(userId));
		assertThat(response.statusCode()).isEqualTo(200);
		return json(response);
	}

	private String tracksUrl(int offset, int limit) {
		return this.emulator.apiUrl() + "/v1/me/tracks?offset=" + offset + "&limit=" + limit;
	}

	private static void assertInvalidGrant(HttpResponse<String> response, String description) {
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode body = json(response);
		assertThat(body.path("error").stringValue()).isEqualTo("invalid_grant");
		assertThat(body.path("error_description").stringValue()).isEqualTo(description);
	}

	private static void assertApiError(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).isEqualTo(status);
		JsonNode error = json(response).path("error");
		assertThat(error.path("status").asInt()).isEqualTo(status);
		assertThat(error.path("message").stringValue()).isEqualTo(message);
	}

	private static String verifier() {
		byte[] random = new byte[32];
		new java.security.SecureRandom().nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	private static String challenge(String verifier) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	private static HttpRequest.Builder request(String url, @Nullable String bearer) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
		if (bearer != null) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		return builder;
	}

	private static HttpResponse<String> get(String url, @Nullable String bearer) throws Exception {
		return HTTP.send(request(url, bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(String url, Map<String, String> params, @Nullable String authorization)
			throws Exception {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(params)));
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String form(Map<String, String> params) {
		StringJoiner joined = new StringJoiner("&");
		params.forEach((name, value) -> joined.add(Http.encode(name) + "=" + Http.encode(value)));
		return joined.toString();
	}

	private static URI location(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(302);
		return URI.create(response.headers().firstValue("Location").orElseThrow());
	}

	private static Map<String, String> query(URI uri) {
		return Http.form(uri.getRawQuery());
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
