package dev.savedtracks.system;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A failure that is also its own RFC 9457 answer: a stable problem type, a sentence a
 * person can act on, and {@code Retry-After} when waiting helps. Features throw their own
 * subclasses, named as facts; Spring MVC renders them as {@code application/problem+json}
 * with no further mapping. The exception's message is for logs and may name internal
 * things; the answer's detail is for the caller and never does.
 */
public abstract class ProblemException extends ErrorResponseException {

	/**
	 * The longest Retry-After, sent or honoured: Spotify has been seen asking for absurd
	 * pauses, and a pause it asks for is passed on to callers.
	 */
	public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

	private final String logMessage;

	protected ProblemException(HttpStatus status, String slug, String title, String detail, String logMessage,
			@Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(status, Problems.of(status, slug, title, detail), cause);
		this.logMessage = logMessage;
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
		}
	}

	/** Whole seconds, at least one, at most a day. */
	public static String retryAfterSeconds(Duration retryAfter) {
		Duration bounded = (retryAfter.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : retryAfter;
		return Long.toString(Math.max(1, (bounded.toMillis() + 999) / 1000));
	}

	/** The problem type's last part, e.g. {@code spotify-unavailable}. */
	public String slug() {
		String type = String.valueOf(getBody().getType());
		return type.substring(type.lastIndexOf(':') + 1);
	}

	@Override
	public String getMessage() {
		return this.logMessage;
	}

}
