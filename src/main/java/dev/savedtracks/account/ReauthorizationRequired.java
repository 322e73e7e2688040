package dev.savedtracks.account;

import org.springframework.http.HttpStatus;

import dev.savedtracks.system.ProblemException;
import dev.savedtracks.system.SignIn;

/**
 * Spotify no longer accepts this person's refresh token (they revoked the app, or the
 * six-month lifetime ran out), or no tokens are stored: only a new browser sign-in helps.
 */
public class ReauthorizationRequired extends ProblemException {

	public static final String SIGN_IN_PATH = SignIn.PATH;

	public ReauthorizationRequired(String accountId) {
		super(HttpStatus.UNAUTHORIZED, "reauthorization-required", "Sign in with Spotify again",
				"Spotify no longer accepts this service's access to your library (access was revoked or has "
						+ "expired). Sign in again in a browser at " + SIGN_IN_PATH + ".",
				"Spotify needs account " + accountId + " to sign in again", null, null);
		getBody().setProperty("signInUrl", SIGN_IN_PATH);
	}

}
