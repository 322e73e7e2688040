package dev.savedtracks.spotify.budget;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.system.ProblemException;

/**
 * What a 429 from Spotify asks for, read from its {@code Retry-After} header and its
 * body: a pure function of the answer. Seen in the wild: lower-case headers, empty
 * bodies, {@code Retry-After: 0}, pauses of many hours, and a reported (unconfirmed)
 * {@code "reason": "QUOTA_EXCEEDED"} in the error object.
 *
 * @param retryAfter the pause asked for, bounded by
 * {@link ProblemException#MAX_RETRY_AFTER}; {@code null} when the answer names no usable
 * one
 * @param quotaExceeded whether the app's quota is reported used up (waiting seconds does
 * not help)
 */
record TooManyRequests(@Nullable Duration retryAfter, boolean quotaExceeded) {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Reads a 429 answer received at {@code now}. */
	static TooManyRequests read(@Nullable String retryAfter, byte[] body, Instant now) {
		return new TooManyRequests(retryAfter(retryAfter, now), "QUOTA_EXCEEDED".equals(reason(body)));
	}

	/**
	 * The pause a {@code Retry-After} value asks for: delta-seconds or an HTTP-date,
	 * bounded by the longest {@code Retry-After}, or {@code null} when there is no usable
	 * value.
	 */
	static @Nullable Duration retryAfter(@Nullable String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.trim();
		if (value.chars().allMatch(Character::isDigit)) {
			String digits = value.replaceFirst("^0+(?=\\d)", "");
			// Beyond a long, or beyond the longest: the longest.
			return (digits.length() > 9) ? ProblemException.MAX_RETRY_AFTER
					: bounded(Duration.ofSeconds(Long.parseLong(digits)));
		}
		try {
			Duration until = Duration.between(now,
					ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			return until.isNegative() ? Duration.ZERO : bounded(until);
		}
		catch (DateTimeException | ArithmeticException unparseable) {
			return null;
		}
	}

	private static Duration bounded(Duration pause) {
		return (pause.compareTo(ProblemException.MAX_RETRY_AFTER) > 0) ? ProblemException.MAX_RETRY_AFTER : pause;
	}

	/**
	 * The error object's {@code reason}, in {@code {"error": {"reason": …}}} or at the
	 * top level.
	 */
	private static @Nullable String reason(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		JsonNode error;
		try {
			error = json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
		JsonNode reason = error.path("error").path("reason");
		if (reason.isMissingNode()) {
			reason = error.path("reason");
		}
		return reason.isString() ? reason.asString() : null;
	}

}
