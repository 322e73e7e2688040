package dev.savedtracks.spotify;

/**
 * A Spotify answer broke the protocol (malformed JSON, a {@code next} link outside the
 * API, an empty page that claims more, an absurd count). Never cached; retried like a
 * transient fault because a truncated body is the usual cause.
 */
public class SpotifyProtocolViolation extends SpotifyUnavailable {

	public SpotifyProtocolViolation(String message) {
		super(message, null);
	}

}
