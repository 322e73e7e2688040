package dev.savedtracks.spotify;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * Spotify answered 429 with reason {@code QUOTA_EXCEEDED}: the app's quota is used up.
 * Every Spotify call of the app pauses as for a rate limit, and nothing retries in a
 * loop.
 */
public class SpotifyQuotaExceeded extends SpotifyFailure {

	public SpotifyQuotaExceeded(Duration pause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "spotify-quota-exceeded", "Spotify quota exceeded",
				"This service has used up its Spotify request quota; waiting a few seconds will not help.",
				"Spotify reports this app's request quota is exceeded", pause, null);
	}

	@Override
	public Kind kind() {
		return Kind.QUOTA_EXCEEDED;
	}

}
