package dev.savedtracks.account;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.coordination.LeaseLost;
import dev.savedtracks.coordination.LeaseFixtures;
import dev.savedtracks.coordination.Leases;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.spotify.SpotifySettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tokens in the database: encrypted at rest, refreshed transparently, and given up
 * cleanly when Spotify refuses.
 * <p>
 * A replica whose refresh lease lapsed while it waited for Spotify's token endpoint (its
 * renewals stalled in a database blip) and was taken over must not write the tokens it
 * got: the write checks the lease (issue 12.8).
 */
@ExtendWith(OutputCaptureExtension.class)
class SpotifyTokensTest extends EmulatedSpotifyTest {

	@Autowired
	TokenCipher cipher;

	@Autowired
	private EncryptedAuthorizedClientService clients;

	@Autowired
	private Leases leases;

	@AfterEach
	void restoreEmulator() {
		spotify.accessTokenLifetime(Duration.ofHours(1));
		spotify.rotateRefreshTokens(false);
	}

	@Test
	void tokensAreStoredEncryptedWithTheKeyIdAndNoPlaintext() {
		EmulatedUser user = newUser(1);

		signedIn(user);

		Map<String, Object> row = tokenRow(user);
		String access = (String) row.get("access_token");
		String refresh = (String) row.get("refresh_token");
		String plainAccess = this.cipher.decrypt(access, "spotify-token|access|" + user.id());
		String plainRefresh = this.cipher.decrypt(refresh, "spotify-token|refresh|" + user.id());
		assertThat(plainAccess).startsWith("BQ");
		assertThat(plainRefresh).startsWith("AQ");
		assertThat(access).startsWith("v1:" + TokenCipher.keyId(java.util.Base64.getDecoder().decode(TEST_KEY)) + ":")
			.doesNotContain(plainAccess);
		assertThat(refresh).doesNotContain(plainRefresh);
		// H2's SCRIPT is a full database dump, as an attacker with a backup would see it.
		String dump = String.join("\n", this.jdbc.sql("script").query((rs, i) -> rs.getString(1)).list());
		assertThat(dump).doesNotContain(plainAccess).doesNotContain(plainRefresh);
	}

	@Test
	void tokensAreReadFromTheDatabaseNotFromTheBrowserSession() {
		EmulatedUser user = newUser(20);
		BrowserSession browser = signedIn(user);

		this.jdbc.sql("delete from spotify_token where account_id = ?").param(user.id()).update();
		HttpResponse<String> response = browser.api("/api/saved-tracks");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("reauthorization-required");
	}

	@Test
	void expiredAccessTokenIsRefreshedTransparently() {
		spotify.accessTokenLifetime(Duration.ofSeconds(30));
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		HttpResponse<String> response = browser.api("/api/saved-tracks");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(1);
	}

	@Test
	void accessTokenRejectedBySpotifyIsRefreshedOnceAndTheRequestRetried() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.expireAccessTokens();
		spotify.counters().reset();

		HttpResponse<String> response = browser.api("/api/saved-tracks");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"total\":120");
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(1);
	}

	@Test
	void rotatedRefreshTokenIsStoredAndUsedForTheNextRefresh() {
		spotify.rotateRefreshTokens(true);
		EmulatedUser user = newUser(10);
		BrowserSession browser = signedIn(user);
		String before = (String) tokenRow(user).get("refresh_token");

		spotify.expireAccessTokens();
		assertThat(browser.api("/api/saved-tracks?refresh=true").statusCode()).isEqualTo(200);
		spotify.expireAccessTokens();
		HttpResponse<String> second = browser.api("/api/saved-tracks?refresh=true");

		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(tokenRow(user).get("refresh_token")).isNotEqualTo(before);
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(2);
	}

	@Test
	void refreshTokenIsKeptWhenSpotifyReturnsNoNewOne() {
		EmulatedUser user = newUser(10);
		BrowserSession browser = signedIn(user);
		String refreshBefore = this.cipher.decrypt((String) tokenRow(user).get("refresh_token"),
				"spotify-token|refresh|" + user.id());

		spotify.expireAccessTokens();
		browser.api("/api/saved-tracks?refresh=true");
		spotify.expireAccessTokens();
		HttpResponse<String> second = browser.api("/api/saved-tracks?refresh=true");

		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(
				this.cipher.decrypt((String) tokenRow(user).get("refresh_token"), "spotify-token|refresh|" + user.id()))
			.isEqualTo(refreshBefore);
	}

	@Test
	void revokedAccessAnswers401ProblemWithoutRetryingAndKeepsTheCachedLibrary() {
		EmulatedUser user = newUser(75);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		user.revoke();
		spotify.counters().reset();

		HttpResponse<String> first = browser.api("/api/saved-tracks?refresh=true");
		HttpResponse<String> second = browser.api("/api/saved-tracks");

		assertThat(first.statusCode()).isEqualTo(401);
		assertThat(first.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(first.body()).contains("reauthorization-required")
			.contains("Sign in again")
			.contains("/oauth2/authorization/spotify");
		assertThat(second.statusCode()).isEqualTo(401);
		assertThat(spotify.counters().tokenRequests("refresh_token")).isEqualTo(1);
		assertThat(this.jdbc.sql("select reauth_required from account where spotify_id = ?")
			.param(user.id())
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(this.jdbc.sql("select count(*) from spotify_token where account_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from library_track where account_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isEqualTo(75);
	}

	@Test
	void signingInAgainAfterRevocationRestoresAccess() {
		EmulatedUser user = newUser(5);
		BrowserSession browser = signedIn(user);
		user.revoke();
		spotify.expireAccessTokens();
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(401);
		EmulatedUser again = spotify.user(user.id());

		BrowserSession fresh = signedIn(again);

		assertThat(fresh.api("/api/saved-tracks").statusCode()).isEqualTo(200);
	}

	@Test
	void noTokenValueEverAppearsInTheLogs(CapturedOutput output) {
		spotify.rotateRefreshTokens(true);
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		spotify.expireAccessTokens();
		browser.api("/api/saved-tracks?refresh=true");
		user.revoke();
		spotify.expireAccessTokens();
		browser.api("/api/saved-tracks?refresh=true");

		assertThat(output.getAll()).doesNotContainPattern("BQ[A-Za-z0-9_-]{20,}")
			.doesNotContainPattern("AQ[A-Za-z0-9_-]{20,}");
	}

	private Map<String, Object> tokenRow(EmulatedUser user) {
		return this.jdbc.sql("select access_token, refresh_token from spotify_token where account_id = ?")
			.param(user.id())
			.query()
			.singleRow()
			.entrySet()
			.stream()
			.collect(java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue));
	}

	// A refresh under a lapsed lease writes nothing.

	@Test
	void refreshedTokensAreNotWrittenUnderALapsedLease() throws InterruptedException {
		EmulatedUser user = newUser(1);
		signedIn(user);
		String name = "token-refresh:" + user.id();
		Leases stalled = LeaseFixtures.withoutRenewals(this.jdbc, Clock.systemUTC());
		Leases.Lease lapsed = stalled.tryAcquire(name, Duration.ofMillis(300)).orElseThrow();
		Thread.sleep(400);
		Leases.Lease takenOver = this.leases.tryAcquire(name, Duration.ofSeconds(30)).orElseThrow();
		OAuth2AuthorizedClient before = this.clients.loadAuthorizedClient(SpotifySettings.REGISTRATION_ID, user.id());

		try (takenOver) {
			assertThatExceptionOfType(LeaseLost.class)
				.isThrownBy(() -> this.clients.saveRefreshed(user.id(), withAccessToken(before, "late-token"), lapsed));
		}

		OAuth2AuthorizedClient after = this.clients.loadAuthorizedClient(SpotifySettings.REGISTRATION_ID, user.id());
		assertThat(after.getAccessToken().getTokenValue()).isEqualTo(before.getAccessToken().getTokenValue());
	}

	@Test
	void refreshedTokensOfAPersonWhoseDataWasDeletedAreNotWritten() {
		EmulatedUser user = newUser(1);
		signedIn(user);
		OAuth2AuthorizedClient before = this.clients.loadAuthorizedClient(SpotifySettings.REGISTRATION_ID, user.id());
		Leases.Lease lease = this.leases.tryAcquire("token-refresh:" + user.id(), Duration.ofSeconds(30)).orElseThrow();
		this.jdbc.sql("delete from account where spotify_id = ?").param(user.id()).update();

		try (lease) {
			assertThatExceptionOfType(ReauthorizationRequired.class)
				.isThrownBy(() -> this.clients.saveRefreshed(user.id(), withAccessToken(before, "late-token"), lease));
		}

		assertThat(this.jdbc.sql("select count(*) from spotify_token where account_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
	}

	private static OAuth2AuthorizedClient withAccessToken(OAuth2AuthorizedClient client, String value) {
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, Instant.now(),
				Instant.now().plusSeconds(3600), client.getAccessToken().getScopes());
		return new OAuth2AuthorizedClient(client.getClientRegistration(), client.getPrincipalName(), token,
				client.getRefreshToken());
	}

}
