package dev.savedtracks.spotify;

import org.springframework.http.HttpStatus;

/** Spotify rejected a request with a 4xx that no retry can fix. */
public class SpotifyRequestRejected extends SpotifyFailure {

	public SpotifyRequestRejected(int status, String message) {
		super(HttpStatus.BAD_GATEWAY, "spotify-unavailable", "Spotify is unavailable",
				"Spotify refused a request of this service and no copy of your library is cached yet.",
				"Spotify rejected the request with " + status + ": " + message, null, null);
	}

	@Override
	public Kind kind() {
		return Kind.UNAVAILABLE;
	}

}
