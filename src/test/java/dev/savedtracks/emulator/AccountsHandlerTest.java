package dev.savedtracks.emulator;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static dev.savedtracks.emulator.EmulatorClient.REDIRECT_URI;
import static dev.savedtracks.emulator.EmulatorClient.assertApiError;
import static dev.savedtracks.emulator.EmulatorClient.assertInvalidGrant;
import static dev.savedtracks.emulator.EmulatorClient.basic;
import static dev.savedtracks.emulator.EmulatorClient.challenge;
import static dev.savedtracks.emulator.EmulatorClient.form;
import static dev.savedtracks.emulator.EmulatorClient.get;
import static dev.savedtracks.emulator.EmulatorClient.json;
import static dev.savedtracks.emulator.EmulatorClient.location;
import static dev.savedtracks.emulator.EmulatorClient.post;
import static dev.savedtracks.emulator.EmulatorClient.query;
import static dev.savedtracks.emulator.EmulatorClient.verifier;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the emulated accounts service authorizes and issues tokens as Spotify does.
 */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the
// build.
@Timeout(10)
class AccountsHandlerTest {

	@RegisterExtension
	final RunningEmulator running = new RunningEmulator();

	@Test
	void consentPageCarriesEveryQueryParameterAsEscapedHiddenInputWithoutJavaScript() throws Exception {
		Map<String, String> params = this.running.client().authorizeParams("st<\"&'>");
		params.put("show_dialog", "true");
		HttpResponse<String> page = get(this.running.emulator().accountsUrl() + "/authorize?" + form(params), null);

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		String html = page.body();
		assertThat(html).contains("<title>Log in to Spotify (emulator)</title>")
			.contains("<form method=\"post\" action=\"" + this.running.emulator().accountsUrl() + "/authorize\">")
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
		assertThat(this.running.emulator().counters().authorizeRequests()).isEqualTo(1);
	}

	@Test
	void agreeingRedirectsWithCodeAndStateAndCreatesUserWithDefaultLibrary() throws Exception {
		this.running.emulator().defaultLibrarySize(7);
		HttpResponse<String> redirect = this.running.client()
			.submitConsent(this.running.client().authorizeParams("s t&ate"), "accept", "new.user-1");

		assertThat(redirect.statusCode()).isEqualTo(302);
		URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith(REDIRECT_URI + "?code=");
		assertThat(query(location)).containsEntry("state", "s t&ate").containsKey("code");
		EmulatedUser user = this.running.emulator().findUser("new.user-1").orElseThrow();
		assertThat(user.library()).hasSize(7);
		assertThat(user.displayName()).isEqualTo("New.user-1");
	}

	@Test
	void agreeingWithoutStateOmitsStateFromRedirect() throws Exception {
		Map<String, String> params = this.running.client().authorizeParams("unused");
		params.remove("state");
		HttpResponse<String> redirect = this.running.client().submitConsent(params, "accept", "alice");

		assertThat(query(location(redirect))).containsOnlyKeys("code");
	}

	@Test
	void cancellingRedirectsWithAccessDeniedAndState() throws Exception {
		HttpResponse<String> redirect = this.running.client()
			.submitConsent(this.running.client().authorizeParams("xyz"), "cancel", "alice");

		assertThat(redirect.statusCode()).isEqualTo(302);
		assertThat(query(location(redirect))).containsEntry("error", "access_denied")
			.containsEntry("state", "xyz")
			.doesNotContainKey("code");
		assertThat(this.running.emulator().findUser("alice")).isEmpty();
	}

	@Test
	void invalidUsernameRerendersConsentPageWithError() throws Exception {
		HttpResponse<String> page = this.running.client()
			.submitConsent(this.running.client().authorizeParams("s"), "accept", "bad name<>");

		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("role=\"alert\"")
			.contains("value=\"bad name&lt;&gt;\"")
			.contains("<input type=\"hidden\" name=\"state\" value=\"s\">");
	}

	@Test
	void localhostRedirectUriIsRefusedAsInsecureEvenWhenRegistered() throws Exception {
		String localhost = "http://localhost:8080/login/oauth2/code/spotify";
		this.running.emulator().allowRedirectUri(localhost).allowRedirectUri("http://example.com/callback");

		HttpResponse<String> refused = this.running.client().authorizePage(Map.of("redirect_uri", localhost));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("INVALID_CLIENT: Insecure redirect URI");

		HttpResponse<String> plainHttp = this.running.client()
			.authorizePage(Map.of("redirect_uri", "http://example.com/callback"));
		assertThat(plainHttp.statusCode()).isEqualTo(400);
		assertThat(plainHttp.body()).contains("INVALID_CLIENT: Insecure redirect URI");

		HttpResponse<String> unregistered = this.running.client()
			.authorizePage(Map.of("redirect_uri", "https://app.example.com/cb"));
		assertThat(unregistered.statusCode()).isEqualTo(400);
		assertThat(unregistered.body()).contains("INVALID_CLIENT: Invalid redirect URI");

		HttpResponse<String> unknownClient = this.running.client().authorizePage(Map.of("client_id", "someone-else"));
		assertThat(unknownClient.statusCode()).isEqualTo(400);
		assertThat(unknownClient.body()).contains("INVALID_CLIENT: Invalid client");
	}

	@Test
	void ipv6LoopbackAndHttpsRedirectUrisAreAccepted() throws Exception {
		this.running.emulator().allowRedirectUri("http://[::1]:9000/cb").allowRedirectUri("https://app.example.com/cb");

		assertThat(this.running.client().authorizePage(Map.of("redirect_uri", "http://[::1]:9000/cb")).statusCode())
			.isEqualTo(200);
		assertThat(
				this.running.client().authorizePage(Map.of("redirect_uri", "https://app.example.com/cb")).statusCode())
			.isEqualTo(200);
	}

	@Test
	void wrongResponseTypeOrPlainPkceMethodRedirectsWithError() throws Exception {
		HttpResponse<String> token = this.running.client().authorizePage(Map.of("response_type", "token"));
		assertThat(token.statusCode()).isEqualTo(302);
		assertThat(query(location(token))).containsEntry("error", "unsupported_response_type");

		HttpResponse<String> plain = this.running.client()
			.authorizePage(Map.of("code_challenge", challenge(verifier()), "code_challenge_method", "plain"));
		assertThat(plain.statusCode()).isEqualTo(302);
		assertThat(query(location(plain))).containsEntry("error", "invalid_request").containsEntry("state", "state-1");
	}

	@Test
	void codeExchangeWithCorrectPkceVerifierIssuesSpotifyStyleTokens() throws Exception {
		String verifier = verifier();
		String code = this.running.client().signIn("alice", challenge(verifier));

		HttpResponse<String> response = this.running.client()
			.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI,
					"code_verifier", verifier));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		JsonNode body = json(response);
		assertThat(body.path("access_token").stringValue()).startsWith("BQ").hasSizeGreaterThan(40);
		assertThat(body.path("refresh_token").stringValue()).startsWith("AQ").hasSizeGreaterThan(40);
		assertThat(body.path("token_type").stringValue()).isEqualTo("Bearer");
		assertThat(body.path("scope").stringValue()).isEqualTo("user-library-read");
		assertThat(body.path("expires_in").asInt()).isEqualTo(3600);
		assertThat(
				get(this.running.emulator().apiUrl() + "/v1/me", body.path("access_token").stringValue()).statusCode())
			.isEqualTo(200);
	}

	@Test
	void codeExchangeWithWrongOrMissingVerifierIsInvalidGrant() throws Exception {
		String wrong = this.running.client().signIn("alice", challenge(verifier()));
		assertInvalidGrant(this.running.client()
			.token(Map.of("grant_type", "authorization_code", "code", wrong, "redirect_uri", REDIRECT_URI,
					"code_verifier", verifier())),
				"code_verifier was incorrect");

		String missing = this.running.client().signIn("alice", challenge(verifier()));
		assertInvalidGrant(
				this.running.client()
					.token(Map.of("grant_type", "authorization_code", "code", missing, "redirect_uri", REDIRECT_URI)),
				"code_verifier was incorrect");
	}

	@Test
	void authorizationCodeIsUsableOnlyOnce() throws Exception {
		String code = this.running.client().signIn("alice", null);
		Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				REDIRECT_URI);

		assertThat(this.running.client().token(exchange).statusCode()).isEqualTo(200);
		assertInvalidGrant(this.running.client().token(exchange), "Invalid authorization code");
		assertInvalidGrant(
				this.running.client()
					.token(Map.of("grant_type", "authorization_code", "code", "made-up", "redirect_uri", REDIRECT_URI)),
				"Invalid authorization code");
	}

	@Test
	void codeExchangeWithOtherRedirectUriIsInvalidGrant() throws Exception {
		String code = this.running.client().signIn("alice", null);

		assertInvalidGrant(this.running.client()
			.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
					"http://127.0.0.1:9999/other")),
				"Invalid redirect URI");
	}

	@Test
	void tokenEndpointRequiresBasicAuthAndRefusesCredentialsInTheBody() throws Exception {
		String code = this.running.client().signIn("alice", null);
		Map<String, String> params = new LinkedHashMap<>(
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI, "client_id",
						this.running.emulator().clientId(), "client_secret", this.running.emulator().clientSecret()));

		HttpResponse<String> bodyCredentials = post(this.running.emulator().accountsUrl() + "/api/token", params, null);
		assertThat(bodyCredentials.statusCode()).isEqualTo(400);
		assertThat(json(bodyCredentials).path("error").stringValue()).isEqualTo("invalid_client");
		assertThat(json(bodyCredentials).path("error_description").stringValue()).isEqualTo("Invalid client");

		HttpResponse<String> wrongSecret = post(this.running.emulator().accountsUrl() + "/api/token", params,
				basic(this.running.emulator().clientId(), "wrong"));
		assertThat(json(wrongSecret).path("error").stringValue()).isEqualTo("invalid_client");

		HttpResponse<String> unsupported = this.running.client().token(Map.of("grant_type", "client_credentials"));
		assertThat(unsupported.statusCode()).isEqualTo(400);
		assertThat(json(unsupported).path("error").stringValue()).isEqualTo("unsupported_grant_type");
	}

	@Test
	void refreshWithoutRotationAnswersNoRefreshTokenAndTheOldOneKeepsWorking() throws Exception {
		String refreshToken = json(this.running.client().exchangeNewCode("alice")).path("refresh_token").stringValue();

		JsonNode first = json(this.running.client().refresh(refreshToken));
		JsonNode second = json(this.running.client().refresh(refreshToken));

		assertThat(first.has("refresh_token")).isFalse();
		assertThat(first.path("access_token").stringValue()).startsWith("BQ");
		assertThat(second.path("access_token").stringValue()).isNotEqualTo(first.path("access_token").stringValue());
		assertThat(this.running.emulator().counters().tokenRequests("refresh_token")).isEqualTo(2);
		assertThat(this.running.emulator().counters().tokenRequests("authorization_code")).isEqualTo(1);
	}

	@Test
	void refreshWithRotationAnswersNewRefreshTokenAndInvalidatesTheOldOne() throws Exception {
		this.running.emulator().rotateRefreshTokens(true);
		String original = json(this.running.client().exchangeNewCode("alice")).path("refresh_token").stringValue();

		JsonNode rotated = json(this.running.client().refresh(original));

		String replacement = rotated.path("refresh_token").stringValue();
		assertThat(replacement).startsWith("AQ").isNotEqualTo(original);
		assertInvalidGrant(this.running.client().refresh(original), "Refresh token revoked");
		assertThat(this.running.client().refresh(replacement).statusCode()).isEqualTo(200);
	}

	@Test
	void revokedUserGetsInvalidGrantOnRefreshAnd401FromTheApiUntilSigningInAgain() throws Exception {
		JsonNode tokens = json(this.running.client().exchangeNewCode("alice"));
		this.running.emulator().user("alice").revoke();

		assertInvalidGrant(this.running.client().refresh(tokens.path("refresh_token").stringValue()),
				"Refresh token revoked");
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me", tokens.path("access_token").stringValue()), 401,
				"Invalid access token");
		assertThat(this.running.client().exchangeNewCode("alice").statusCode()).isEqualTo(200);
	}

	@Test
	void refreshTokensExpireFromTheOriginalAuthorizationEvenWhenRotated() throws Exception {
		this.running.emulator().rotateRefreshTokens(true);
		String original = json(this.running.client().exchangeNewCode("alice")).path("refresh_token").stringValue();
		String rotated = json(this.running.client().refresh(original)).path("refresh_token").stringValue();

		this.running.emulator().expireRefreshTokens();

		assertInvalidGrant(this.running.client().refresh(rotated), "Refresh token expired");
	}

	@Test
	void accessTokenLifetimeIsReportedInWholeSecondsOfAtLeastOne() throws Exception {
		this.running.emulator().accessTokenLifetime(Duration.ofMillis(300));

		JsonNode tokens = json(this.running.client().exchangeNewCode("alice"));

		assertThat(tokens.path("expires_in").asInt()).isEqualTo(1);
		Thread.sleep(400);
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me", tokens.path("access_token").stringValue()), 401,
				"The access token expired");
	}

	@Test
	void tokenLatencyDelaysEveryTokenAnswerAndARevocationMeanwhileWins() throws Exception {
		String refreshToken = json(this.running.client().exchangeNewCode("alice")).path("refresh_token").stringValue();
		this.running.emulator().tokenLatency(Duration.ofMillis(600));

		long start = System.nanoTime();
		HttpResponse<String> slow = this.running.client().refresh(refreshToken);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
			try {
				return this.running.client().refresh(refreshToken);
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});
		Thread.sleep(200);
		this.running.emulator().user("alice").revoke();

		assertThat(slow.statusCode()).isEqualTo(200);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(600));
		assertInvalidGrant(inFlight.get(5, TimeUnit.SECONDS), "Refresh token revoked");
		assertThat(this.running.emulator().counters().tokenRequests("refresh_token")).isEqualTo(2);
	}

}
