package dev.savedtracks.system;

/**
 * Where a person signs in, and the authority a browser session signed in with Spotify
 * carries.
 */
public final class SignIn {

	/**
	 * Starts the sign-in with Spotify (Spring Security's authorization request for
	 * registration "spotify").
	 */
	public static final String PATH = "/oauth2/authorization/spotify";

	/**
	 * Granted by Spring Security to people signed in through the browser (OAuth 2.0
	 * login), and never to API keys: what only a person at their browser may do (manage
	 * keys, delete their data) requires it.
	 */
	public static final String BROWSER_AUTHORITY = "OAUTH2_USER";

	private SignIn() {
	}

}
