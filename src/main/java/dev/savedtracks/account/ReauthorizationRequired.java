package dev.savedtracks.account;

/**
 * Spotify no longer accepts this person's refresh token (they revoked the app, or the six-month lifetime ran out),
 * or no tokens are stored: only a new browser sign-in helps.
 */
public class ReauthorizationRequired extends RuntimeException {

	public static final String SIGN_IN_PATH = "/oauth2/authorization/spotify";

	public ReauthorizationRequired(String accountId) {
		super("Spotify needs account " + accountId + " to sign in again");
	}

}
