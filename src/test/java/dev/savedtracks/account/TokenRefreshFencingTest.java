package dev.savedtracks.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.coordination.LeaseFixtures;
import dev.savedtracks.coordination.Leases;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.spotify.SpotifySettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A replica whose refresh lease lapsed while it waited for Spotify's token endpoint (its
 * renewals stalled in a database blip) and was taken over must not write the tokens it
 * got: the write checks the lease (issue 12.8).
 */
class TokenRefreshFencingTest extends EmulatedSpotifyTest {

	@Autowired
	private EncryptedAuthorizedClientService clients;

	@Autowired
	private Leases leases;

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
			assertThatExceptionOfType(Leases.LeaseLost.class)
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
