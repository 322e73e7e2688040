package dev.savedtracks.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a browser session lives before its person has signed in, and how many such
 * sessions one client may hold (each is a row in the shared database):
 *
 * @param preSignInTimeout the life of a session nobody has signed in to yet, such as the
 * one a sign-in with Spotify starts ({@code SESSION_PRE_SIGN_IN_TIMEOUT}); signing in
 * gives it the full {@code SESSION_TIMEOUT}
 * @param preSignInPerClient such sessions one client address may hold on a replica
 * ({@code SESSION_PRE_SIGN_IN_PER_CLIENT}); starting one more deletes its oldest
 */
@ConfigurationProperties("sessions")
record SessionSettings(@DefaultValue("10m") Duration preSignInTimeout, @DefaultValue("100") int preSignInPerClient) {

	SessionSettings {
		if (preSignInTimeout.compareTo(Duration.ofMinutes(1)) < 0 || preSignInPerClient < 1) {
			throw new InvalidConfiguration(
					"SESSION_PRE_SIGN_IN_TIMEOUT must be at least 1m and SESSION_PRE_SIGN_IN_PER_CLIENT at least 1",
					"Use values such as 10m and 100: long enough for a person to sign in with Spotify.");
		}
	}

}
