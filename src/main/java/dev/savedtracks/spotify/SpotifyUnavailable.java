package dev.savedtracks.spotify;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * Spotify answered with a server error, timed out, or sent a broken body (a transient
 * fault), and retries did not help.
 */
public class SpotifyUnavailable extends SpotifyFailure {

	public SpotifyUnavailable(String message, @Nullable Throwable cause) {
		this(message, null, cause);
	}

	/**
	 * @param retryAfter how long Spotify asked to wait ({@code Retry-After} on a 5xx),
	 * when it did
	 */
	public SpotifyUnavailable(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(HttpStatus.BAD_GATEWAY, "spotify-unavailable", "Spotify is unavailable",
				"Spotify did not answer properly and no copy of your library is cached yet. Try again later.", message,
				retryAfter, cause);
	}

	@Override
	public Kind kind() {
		return Kind.UNAVAILABLE;
	}

}
