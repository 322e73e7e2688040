package dev.savedtracks.account;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.util.UriComponentsBuilder;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser sign-in with Spotify through the real filter chain, against the emulator's
 * consent page and token API. What sign-in does when Spotify stalls is in
 * {@code SpotifyStallsTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignInTest extends EmulatedSpotifyTest {

	@AfterEach
	void ownerHasPremiumAgain() {
		spotify.ownerPremiumLapsed(false);
	}

	@Test
	void signsInThroughSpotifyConsentAndLandsOnTheHomePage() {
		EmulatedUser user = newUser(3).displayName("Ada Lovelace");
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> home = browser.signIn(user.id());

		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.uri().getPath()).isEqualTo("/");
		assertThat(home.body()).contains("Ada Lovelace").contains("Sign out");
		assertThat(spotify.counters().tokenRequests("authorization_code")).isEqualTo(1);
		assertThat(spotify.counters().meRequests()).isEqualTo(1);
		HttpResponse<String> me = browser.api("/api/saved-tracks");
		assertThat(me.statusCode()).isEqualTo(200);
	}

	@Test
	void authorizationRequestCarriesStatePkceS256ScopeAndTheExactRedirectUri() {
		BrowserSession browser = new BrowserSession(appUrl());

		browser.navigate(appUrl() + "/oauth2/authorization/spotify");

		URI authorize = browser.hops()
			.stream()
			.filter(u -> u.getPath().endsWith("/accounts/authorize"))
			.findFirst()
			.orElseThrow();
		Map<String, String> query = query(authorize);
		assertThat(query).containsEntry("response_type", "code")
			.containsEntry("client_id", spotify.clientId())
			.containsEntry("scope", "user-library-read")
			.containsEntry("code_challenge_method", "S256")
			.containsEntry("redirect_uri", appUrl() + "/login/oauth2/code/spotify")
			.containsKeys("state", "code_challenge");
	}

	@Test
	void spoofedForwardedHostDoesNotChangeTheRedirectUri() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> redirect = browser
			.send(java.net.http.HttpRequest.newBuilder(URI.create(appUrl() + "/oauth2/authorization/spotify"))
				.header("X-Forwarded-Host", "evil.example.net")
				.header("X-Forwarded-Proto", "https")
				.GET()
				.build());

		String location = redirect.headers().firstValue("Location").orElseThrow();
		assertThat(query(URI.create(location))).containsEntry("redirect_uri", appUrl() + "/login/oauth2/code/spotify");
	}

	@Test
	void cancelledConsentShowsAFriendlyPageAndSignsNobodyIn() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = new BrowserSession(appUrl());
		HttpResponse<String> consent = browser.navigate(appUrl() + "/oauth2/authorization/spotify");

		HttpResponse<String> page = browser.submitConsent(consent, user.id(), "cancel");

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("Sign-in was cancelled").doesNotContain("Whitelabel");
		assertThat(spotify.counters().tokenRequests("authorization_code")).isZero();
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(401);
	}

	@Test
	void forgedStateIsRefusedWithoutATokenExchange() {
		BrowserSession browser = new BrowserSession(appUrl());
		browser.navigate(appUrl() + "/oauth2/authorization/spotify");

		HttpResponse<String> page = browser
			.navigate(appUrl() + "/login/oauth2/code/spotify?code=stolen-code&state=forged-state");

		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("expired or was already used").doesNotContain("Exception");
		assertThat(spotify.counters().tokenRequests("authorization_code")).isZero();
	}

	@Test
	void replayedCallbackFailsCleanlyAndDoesNotRedeemTheCodeTwice() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = new BrowserSession(appUrl());
		browser.signIn(user.id());
		URI callback = browser.hops()
			.stream()
			.filter(u -> u.getPath().equals("/login/oauth2/code/spotify"))
			.findFirst()
			.orElseThrow();

		HttpResponse<String> replay = browser.navigate(callback.toString());

		assertThat(replay.uri().getPath()).isEqualTo("/signin-error");
		assertThat(spotify.counters().tokenRequests("authorization_code")).isEqualTo(1);
	}

	@Test
	void sessionIdChangesAtSignInAndSignOutEndsTheSession() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = new BrowserSession(appUrl());
		browser.navigate(appUrl() + "/");
		browser.navigate(appUrl() + "/oauth2/authorization/spotify");
		String before = browser.cookie("SESSION").orElseThrow();
		browser.signIn(user.id());
		String after = browser.cookie("SESSION").orElseThrow();
		assertThat(after).isNotEqualTo(before);

		HttpResponse<String> logout = browser
			.send(java.net.http.HttpRequest.newBuilder(URI.create(appUrl() + "/logout"))
				.header("X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN").orElseThrow())
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.noBody())
				.build());

		assertThat(logout.statusCode()).isEqualTo(302);
		BrowserSession replayed = new BrowserSession(appUrl());
		HttpResponse<String> withOldCookie = replayed
			.send(java.net.http.HttpRequest.newBuilder(URI.create(appUrl() + "/api/saved-tracks"))
				.header("Accept", "application/json")
				.header("Cookie", "SESSION=" + after)
				.GET()
				.build());
		assertThat(withOldCookie.statusCode()).isEqualTo(401);
	}

	@Test
	void pageNavigationWithoutSessionIsSentToSignIn() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> response = browser.get("/some/page", "text/html");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/oauth2/authorization/spotify");
	}

	@Test
	void apiRequestWithoutSessionGets401ProblemAndNoSession() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> response = browser.api("/api/saved-tracks");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).contains("/oauth2/authorization/spotify");
		assertThat(browser.cookie("SESSION")).isEmpty();
	}

	@Test
	void xhrRequestWithoutSessionGets401EvenWhenAskingForHtml() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> response = browser
			.send(java.net.http.HttpRequest.newBuilder(URI.create(appUrl() + "/anything"))
				.header("Accept", "text/html")
				.header("X-Requested-With", "XMLHttpRequest")
				.GET()
				.build());

		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void personMissingFromTheAppsUserListIsToldWhoMustAddThem() {
		EmulatedUser user = newUser(1).denyAccess(true);
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> page = browser.signIn(user.id());

		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("development mode")
			.contains("not on its User Management list")
			.contains("Trying again will not help")
			.contains("at most 5 people")
			.contains("extended quota mode")
			.doesNotContain("try again in a moment");
		assertThat(spotify.counters().meRequests()).isEqualTo(1);
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(401);
		assertThat(accounts(user)).isZero();
	}

	@Test
	void rateLimitedProfileAtSignInSaysTryAgainAndPausesEverySpotifyCall() {
		BrowserSession first = signedIn(newUser(1));
		spotify.rateLimit(1, Duration.ofSeconds(30));
		try {
			read(first.api("/api/saved-tracks"));
			BrowserSession browser = new BrowserSession(appUrl());

			HttpResponse<String> page = browser.signIn(newUser(1).id());

			assertThat(page.uri().getPath()).isEqualTo("/signin-error");
			assertThat(page.body()).contains("try again in a moment");
			Instant pausedUntil = this.jdbc.sql("select paused_until from rate_limit_pause where name = 'spotify'")
				.query(java.sql.Timestamp.class)
				.single()
				.toInstant();
			assertThat(pausedUntil).as("the 429 pauses the app's calls, as one to a page would")
				.isAfter(Instant.now().plusSeconds(20));
		}
		finally {
			spotify.noRateLimit();
		}
	}

	@Test
	void longSpotifyPauseAtSignInSaysWhenToComeBack() {
		BrowserSession first = signedIn(newUser(1));
		read(first.api("/api/saved-tracks"));
		spotify.faults().next(Fault.rateLimited(3600));
		first.api("/api/saved-tracks?refresh=true");
		EmulatedUser later = newUser(1);
		spotify.counters().reset();
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> page = browser.signIn(later.id());

		String comeBack = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ENGLISH)
			.format(Instant.now().plusSeconds(3600).atZone(ZoneOffset.UTC));
		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("Please come back after")
			.containsAnyOf(comeBack,
					DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ENGLISH)
						.format(Instant.now().plusSeconds(3660).atZone(ZoneOffset.UTC)))
			.contains("in about 60 minutes")
			.doesNotContain("try again in a moment");
		assertThat(spotify.counters().meRequests()).as("no call to Spotify during its pause").isZero();
	}

	@Test
	void aForgedComeBackTimeIsNotBelieved() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> page = browser.get("/signin-error?reason=busy&until=99999999999", "text/html");

		assertThat(page.body()).contains("try again in a moment").doesNotContain("come back after");
	}

	@Test
	void lapsedPremiumOfTheAppOwnerIsToldToEveryone() {
		EmulatedUser user = newUser(1);
		BrowserSession browser = new BrowserSession(appUrl());
		spotify.ownerPremiumLapsed(true);

		HttpResponse<String> page = browser.signIn(user.id());

		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(page.body()).contains("for everyone")
			.contains("Premium")
			.contains("Trying again will not help")
			.doesNotContain("try again in a moment");
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(401);
		assertThat(accounts(user)).isZero();
	}

	@Test
	void signedInPersonIsNamedByIdWithSpotifysProfileAndMayActAtTheirBrowser() {
		EmulatedUser user = newUser(1).displayName("Grace Hopper");
		BrowserSession browser = signedIn(user);

		HttpResponse<String> me = browser.api("/api/me");
		HttpResponse<String> key = browser.write("POST", "/api/keys", "{\"name\":\"browser authority\"}");

		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(json.readTree(me.body()).get("spotifyId").asString()).isEqualTo(user.id());
		assertThat(json.readTree(me.body()).get("displayName").asString()).isEqualTo("Grace Hopper");
		assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
	}

	@Test
	void callbackErrorIsLoggedOnlyAsAKnownCode(CapturedOutput output) {
		BrowserSession browser = new BrowserSession(appUrl());
		browser.navigate(appUrl() + "/oauth2/authorization/spotify");
		URI authorize = browser.hops()
			.stream()
			.filter(u -> u.getPath().endsWith("/accounts/authorize"))
			.findFirst()
			.orElseThrow();
		String state = query(authorize).get("state");

		HttpResponse<String> page = browser.navigate(appUrl() + "/login/oauth2/code/spotify?state="
				+ java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8)
				+ "&error=access_denied%0D%0A2026-01-01T00:00:00Z%20INFO%20forged-admin-login"
				+ "&error_description=%0D%0Aforged-description");

		assertThat(page.uri().getPath()).isEqualTo("/signin-error");
		assertThat(output.getOut()).contains("Sign-in with Spotify failed: other")
			.doesNotContain("forged-admin-login")
			.doesNotContain("forged-description");
	}

	private long accounts(EmulatedUser user) {
		return this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Long.class)
			.single();
	}

	private static Map<String, String> query(URI uri) {
		return UriComponentsBuilder.fromUri(uri)
			.build()
			.getQueryParams()
			.toSingleValueMap()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey,
					e -> java.net.URLDecoder.decode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8)));
	}

}
