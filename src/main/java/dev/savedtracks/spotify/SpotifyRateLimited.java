package dev.savedtracks.spotify;

import java.time.Duration;

/** Spotify answered 429 for this app and the pause is longer than a request may wait. */
public class SpotifyRateLimited extends SpotifyFailure {

	public SpotifyRateLimited(Duration retryAfter) {
		super("Spotify asked this app to wait " + retryAfter.toSeconds() + "s", retryAfter, null);
	}

}
