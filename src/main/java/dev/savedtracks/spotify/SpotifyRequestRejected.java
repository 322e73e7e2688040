package dev.savedtracks.spotify;

/** Spotify rejected a request with a 4xx that no retry can fix. */
public class SpotifyRequestRejected extends SpotifyFailure {

	public SpotifyRequestRejected(int status, String message) {
		super("Spotify rejected the request with " + status + ": " + message, null, null);
	}

}
