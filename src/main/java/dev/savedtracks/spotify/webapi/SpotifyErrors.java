package dev.savedtracks.spotify.webapi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.SpotifyUnavailable;

/**
 * What Spotify's error answers mean, as pure functions of their status and body. The Web
 * API sends {@code {"error": {"status", "message"}}}, but a development-mode refusal
 * comes as plain text, and a 5xx may be an HTML page or nothing.
 */
final class SpotifyErrors {

	/** Enough of a plain-text body to tell its cause; Spotify's are a sentence long. */
	private static final int MAX_PLAIN_TEXT = 300;

	private static final JsonMapper json = JsonMapper.builder().build();

	private SpotifyErrors() {
	}

	/**
	 * The failure an error answer means, for every status but 401 and 429 (which depend
	 * on what the request met before): a 403 tells its reason, a 5xx is transient, other
	 * statuses are refusals no retry can fix.
	 */
	static SpotifyFailure failure(int status, byte[] body) {
		return failure(status, body, null);
	}

	/**
	 * As {@link #failure(int, byte[])}, with the answer's {@code Retry-After}: a 5xx that
	 * names one (in seconds) is unavailable for that long, at most
	 * {@link #MAX_SERVER_ERROR_PAUSE}.
	 */
	static SpotifyFailure failure(int status, byte[] body, @Nullable String retryAfter) {
		if (status == 403) {
			String text = message(body);
			return new SpotifyAccessDenied(SpotifyAccessDenied.Reason.of(text),
					"Spotify refused access (403): " + text);
		}
		if (status >= 500) {
			return new SpotifyUnavailable("Spotify answered " + status, seconds(retryAfter), null);
		}
		return new SpotifyRequestRejected(status, message(body));
	}

	/** The longest pause a 5xx's {@code Retry-After} is taken for. */
	static final Duration MAX_SERVER_ERROR_PAUSE = Duration.ofMinutes(1);

	private static @Nullable Duration seconds(@Nullable String retryAfter) {
		if (retryAfter == null || !retryAfter.strip().matches("\\d{1,6}")) {
			return null;
		}
		Duration pause = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
		return (pause.compareTo(MAX_SERVER_ERROR_PAUSE) > 0) ? MAX_SERVER_ERROR_PAUSE : pause;
	}

	/**
	 * Spotify's error message: from its JSON error object, or the start of the body when
	 * it is plain text, or {@code "no message"}. Either way at most
	 * {@value #MAX_PLAIN_TEXT} characters on one line: control, format (bidirectional
	 * overrides) and line-separator characters are blanked, as the message is logged and
	 * a forged line must not appear in the log.
	 */
	static String message(byte[] body) {
		JsonNode error = errorNode(body);
		JsonNode message = (error != null) ? error.path("error").path("message") : null;
		if (message != null && message.isString()) {
			return oneLine(message.asString());
		}
		if (error == null && body.length > 0) {
			return oneLine(new String(body, 0, Math.min(body.length, MAX_PLAIN_TEXT), StandardCharsets.UTF_8));
		}
		return "no message";
	}

	private static String oneLine(String text) {
		String cut = (text.length() > MAX_PLAIN_TEXT) ? text.substring(0, MAX_PLAIN_TEXT) : text;
		return cut.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", " ").strip();
	}

	/**
	 * The outcome a status is counted as: ok, 401, 403, 429, 4xx or 5xx (and "error" for
	 * no answer at all).
	 */
	static String outcome(int status) {
		if (status >= 200 && status < 300) {
			return "ok";
		}
		if (status == 401 || status == 403 || status == 429) {
			return Integer.toString(status);
		}
		return (status >= 500) ? "5xx" : "4xx";
	}

	private static @Nullable JsonNode errorNode(byte[] body) {
		try {
			return (body.length > 0) ? json.readTree(body) : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
