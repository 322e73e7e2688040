package dev.savedtracks.spotify;

import org.jspecify.annotations.Nullable;

/**
 * Where {@link SpotifyClient} gets a person's access token, and how it asks for a new one
 * after a 401. Both methods may block (they may call the token endpoint); the client
 * calls them off the event loop.
 */
public interface AccessTokenSource {

	String current();

	/**
	 * The token {@link #current()} would return without blocking, when it is known
	 * already; {@code null} when finding it may block. Lets a request go out from the
	 * thread that asks for it, without a change of threads.
	 */
	default @Nullable String known() {
		return null;
	}

	/**
	 * Spotify rejected {@code rejected}; return a refreshed token (at most one refresh
	 * per rejected token).
	 */
	String replaceRejected(String rejected);

	/**
	 * The person's languages, sent as {@code Accept-Language} so that Spotify names
	 * artists and tracks as the person's own Spotify app does (without it, non-Latin
	 * names come transliterated or in English); {@code null} for none.
	 */
	default @Nullable String acceptLanguage() {
		return null;
	}

}
