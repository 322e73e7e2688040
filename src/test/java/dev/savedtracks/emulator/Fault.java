package dev.savedtracks.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * A misbehaviour the emulator can inject into {@code GET /v1/me/tracks}; build one with
 * the static factories.
 */
public sealed interface Fault {

	/** Answers {@code httpStatus} with Spotify's error body, e.g. 500, 502 or 503. */
	static Fault status(int httpStatus) {
		return new Status(httpStatus);
	}

	/**
	 * {@code httpStatus} (a 5xx) with Spotify's error body and
	 * {@code Retry-After: retryAfterSeconds}.
	 */
	static Fault serverError(int httpStatus, int retryAfterSeconds) {
		return new ServerError(httpStatus, retryAfterSeconds);
	}

	/** 429 with {@code Retry-After: retryAfterSeconds}. */
	static Fault rateLimited(int retryAfterSeconds) {
		return new RateLimited(retryAfterSeconds);
	}

	/**
	 * 429 with {@code Retry-After: 0}, as Spotify has sent, while its window is still
	 * closed: every tracks request arriving within {@code closedFor} gets the same
	 * answer, so a client that takes the 0 at its word meets 429 after 429.
	 */
	static Fault rateLimitedRetryAfterZero(Duration closedFor) {
		return new RateLimitedRetryAfterZero(closedFor);
	}

	/** 429 without a Retry-After header, which clients must survive too. */
	static Fault rateLimitedWithoutRetryAfter() {
		return new RateLimitedWithoutRetryAfter();
	}

	/**
	 * 429 with an empty body, no Content-Type and a {@code retry-after} header carrying
	 * {@code retryAfterValue} verbatim: seconds ("2"), an HTTP-date, an absurd number
	 * ("1000000000000000") or garbage, as seen from Spotify. The JDK server normalises
	 * header names, so the name goes out as {@code Retry-after}, not in all lower case;
	 * header names are case-insensitive, so a client cannot tell the difference that
	 * matters.
	 */
	static Fault bareRateLimited(String retryAfterValue) {
		return new BareRateLimited(retryAfterValue);
	}

	/**
	 * 429 with Spotify's error body and {@code Retry-After} as an HTTP-date (IMF-fixdate,
	 * RFC 9110) of {@code until}.
	 */
	static Fault rateLimitedUntil(Instant until) {
		return new RateLimitedUntil(until);
	}

	/**
	 * A normal page whose {@code total} is {@code total}, e.g. 2,000,000,000 or 10^12
	 * (beyond a Java int); {@code next} follows from it, so it is set although the real
	 * library may end on this page.
	 */
	static Fault hugeTotal(long total) {
		return new HugeTotal(total);
	}

	/**
	 * The development-mode quota overrun: 429 with {@code "reason":"QUOTA_EXCEEDED"} and
	 * Retry-After: 30.
	 */
	static Fault quotaExceeded() {
		return new QuotaExceeded();
	}

	/**
	 * 200 announcing the full page's Content-Length, but only half the bytes are sent
	 * before the connection closes.
	 */
	static Fault truncatedBody() {
		return new TruncatedBody();
	}

	/**
	 * 200 application/json whose body is the page without its last 10 bytes, with a
	 * matching Content-Length.
	 */
	static Fault malformedJson() {
		return new MalformedJson();
	}

	/** 200 with a valid page whose {@code next} points to https://evil.example.net. */
	static Fault foreignNextLink() {
		return new ForeignNextLink();
	}

	/** 200 with {@code "items":[]} but a non-null {@code next} and the real total. */
	static Fault emptyPageWithNext() {
		return new EmptyPageWithNext();
	}

	/** Answers normally after an extra delay, for timeout tests. */
	static Fault delay(Duration delay) {
		return new Delay(delay);
	}

	/** 401 "The access token expired", whatever the token's real state. */
	static Fault expiredToken() {
		return new ExpiredToken();
	}

	/** See {@link Fault#status(int)}. */
	record Status(int httpStatus) implements Fault {

		public Status {
			if (httpStatus < 400 || httpStatus > 599) {
				throw new IllegalArgumentException("an error status is 400..599, not " + httpStatus);
			}
		}

	}

	/** See {@link Fault#serverError(int, int)}. */
	record ServerError(int httpStatus, int retryAfterSeconds) implements Fault {
	}

	/** See {@link Fault#rateLimited(int)}. */
	record RateLimited(int retryAfterSeconds) implements Fault {

		public RateLimited {
			if (retryAfterSeconds < 0) {
				throw new IllegalArgumentException("retryAfterSeconds must not be negative");
			}
		}

	}

	/** See {@link Fault#rateLimitedRetryAfterZero(Duration)}. */
	record RateLimitedRetryAfterZero(Duration closedFor) implements Fault {

		public RateLimitedRetryAfterZero {
			Objects.requireNonNull(closedFor, "closedFor");
		}

	}

	/** See {@link Fault#rateLimitedWithoutRetryAfter()}. */
	record RateLimitedWithoutRetryAfter() implements Fault {
	}

	/** See {@link Fault#bareRateLimited(String)}. */
	record BareRateLimited(String retryAfterValue) implements Fault {

		public BareRateLimited {
			Objects.requireNonNull(retryAfterValue, "retryAfterValue");
			if (retryAfterValue.indexOf('\r') >= 0 || retryAfterValue.indexOf('\n') >= 0) {
				throw new IllegalArgumentException("a header value cannot hold CR or LF");
			}
		}

	}

	/** See {@link Fault#rateLimitedUntil(Instant)}. */
	record RateLimitedUntil(Instant until) implements Fault {

		private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
			.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
			.withZone(ZoneOffset.UTC);

		public RateLimitedUntil {
			Objects.requireNonNull(until, "until");
		}

		/**
		 * {@code until} as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}.
		 */
		public String httpDate() {
			return HTTP_DATE.format(this.until);
		}

	}

	/** See {@link Fault#hugeTotal(long)}. */
	record HugeTotal(long total) implements Fault {

		public HugeTotal {
			if (total < 0) {
				throw new IllegalArgumentException("total must not be negative");
			}
		}

	}

	/** See {@link Fault#quotaExceeded()}. */
	record QuotaExceeded() implements Fault {
	}

	/** See {@link Fault#truncatedBody()}. */
	record TruncatedBody() implements Fault {
	}

	/** See {@link Fault#malformedJson()}. */
	record MalformedJson() implements Fault {
	}

	/** See {@link Fault#foreignNextLink()}. */
	record ForeignNextLink() implements Fault {
	}

	/** See {@link Fault#emptyPageWithNext()}. */
	record EmptyPageWithNext() implements Fault {
	}

	/** See {@link Fault#delay(Duration)}. */
	record Delay(Duration delay) implements Fault {

		public Delay {
			Objects.requireNonNull(delay, "delay");
			if (delay.isNegative()) {
				throw new IllegalArgumentException("delay must not be negative");
			}
		}

	}

	/** See {@link Fault#expiredToken()}. */
	record ExpiredToken() implements Fault {
	}

}
