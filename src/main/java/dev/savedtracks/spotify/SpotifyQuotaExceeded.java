package dev.savedtracks.spotify;

/** Spotify answered 429 with reason QUOTA_EXCEEDED: the app's quota is used up and waiting seconds will not help. */
public class SpotifyQuotaExceeded extends SpotifyFailure {

	public SpotifyQuotaExceeded() {
		super("Spotify reports this app's request quota is exceeded", null, null);
	}

}
