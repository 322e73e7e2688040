package dev.savedtracks.spotify;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

import dev.savedtracks.system.ProblemException;

/**
 * Spotify could not give us what we asked for; the subclasses say why, and whether
 * waiting helps.
 */
public abstract class SpotifyFailure extends ProblemException {

	private final @Nullable Duration retryAfter;

	protected SpotifyFailure(HttpStatus status, String slug, String title, String detail, String logMessage,
			@Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(status, slug, title, detail, logMessage, retryAfter, cause);
		this.retryAfter = retryAfter;
	}

	/** How long a caller should wait before asking again, when known. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/** Worth trying again after a short backoff (5xx, timeouts, broken bodies). */
	boolean isTransient() {
		return false;
	}

}
