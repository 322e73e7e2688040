package dev.savedtracks.spotify;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/** Spotify answered 429 for this app and the pause is longer than a request may wait. */
public class SpotifyRateLimited extends SpotifyFailure {

	public SpotifyRateLimited(Duration retryAfter) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "spotify-rate-limited", "Spotify asked us to slow down",
				"Spotify is rate-limiting this service and no copy of your library is cached yet. Try again later.",
				"Spotify asked this app to wait " + retryAfter.toSeconds() + "s", retryAfter, null);
	}

	@Override
	public Kind kind() {
		return Kind.RATE_LIMITED;
	}

}
