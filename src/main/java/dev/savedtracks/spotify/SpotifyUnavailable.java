package dev.savedtracks.spotify;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * Spotify answered with a server error, timed out, or sent a broken body (a transient
 * fault), and retries did not help.
 */
public class SpotifyUnavailable extends SpotifyFailure {

	public SpotifyUnavailable(String message, @Nullable Throwable cause) {
		super(HttpStatus.BAD_GATEWAY, "spotify-unavailable", "Spotify is unavailable",
				"Spotify did not answer properly and no copy of your library is cached yet. Try again later.", message,
				null, cause);
	}

	@Override
	public Kind kind() {
		return Kind.UNAVAILABLE;
	}

}
