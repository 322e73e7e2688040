package dev.savedtracks.spotify;

import org.jspecify.annotations.Nullable;

/** Spotify answered with a server error, timed out, or sent a broken body, and retries did not help. */
public class SpotifyUnavailable extends SpotifyFailure {

	public SpotifyUnavailable(String message, @Nullable Throwable cause) {
		super(message, null, cause);
	}

	@Override
	boolean isTransient() {
		return true;
	}

}
