package dev.savedtracks.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An anonymous flood of sign-in starts (each a session row in the shared database) leaves
 * a bounded number of short-lived rows; signing in gives a session its full life.
 */
class PreSignInSessionsTest extends EmulatedSpotifyTest {

	private static final int FULL_LIFE = (int) Duration.ofHours(8).toSeconds();

	private static final int PRE_SIGN_IN_LIFE = (int) Duration.ofMinutes(10).toSeconds();

	@Test
	void anAnonymousFloodOfSignInStartsLeavesNoLongLivedRowsAndAtMostTheBoundOfShortOnes() throws Exception {
		HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		int before = count("max_inactive_interval > " + PRE_SIGN_IN_LIFE + " and principal_name is null");

		for (int i = 0; i < 130; i++) {
			HttpResponse<Void> started = anonymous.send(
					HttpRequest.newBuilder(URI.create(appUrl() + SignIn.PATH)).build(),
					HttpResponse.BodyHandlers.discarding());
			assertThat(started.statusCode()).isEqualTo(302);
		}

		assertThat(count("max_inactive_interval > " + PRE_SIGN_IN_LIFE + " and principal_name is null"))
			.as("no session nobody signed in to lives longer than SESSION_PRE_SIGN_IN_TIMEOUT")
			.isEqualTo(before);
		assertThat(count("principal_name is null")).as("one client holds at most SESSION_PRE_SIGN_IN_PER_CLIENT")
			.isLessThanOrEqualTo(100);
	}

	@Test
	void signingInGivesTheSessionItsFullLife() {
		EmulatedUser user = newUser(1);

		signedIn(user);

		assertThat(this.jdbc.sql("select max_inactive_interval from spring_session where principal_name = ?")
			.param(user.id())
			.query(Integer.class)
			.list()).containsExactly(FULL_LIFE);
	}

	private int count(String where) {
		return this.jdbc.sql("select count(*) from spring_session where " + where).query(Integer.class).single();
	}

}
