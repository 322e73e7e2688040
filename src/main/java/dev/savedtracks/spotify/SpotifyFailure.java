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

	/**
	 * What went wrong, for callers that tell their own users (the library's stale
	 * reasons): one value per kind of failure, so that a switch over it is exhaustive.
	 */
	public abstract Kind kind();

	/** How long a caller should wait before asking again, when known. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/** The kinds of Spotify failure. */
	public enum Kind {

		/** Spotify did not answer, answered 5xx or nonsense, or refused the request. */
		UNAVAILABLE,

		/** A 429 with a short {@code Retry-After}. */
		RATE_LIMITED,

		/** A 429 asking for hours: the app's quota is used up. */
		QUOTA_EXCEEDED,

		/** A 403: this person may not use the app. */
		ACCESS_DENIED,

		/** A 403 for everyone: the app owner's Premium has lapsed. */
		OWNER_PREMIUM_REQUIRED

	}

}
