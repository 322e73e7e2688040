package dev.savedtracks.spotify;

/**
 * Spotify answered 403: a missing scope, or (development mode) this Spotify user is not on the app's user list.
 */
public class SpotifyAccessDenied extends SpotifyFailure {

	public SpotifyAccessDenied(String message) {
		super(message, null, null);
	}

}
