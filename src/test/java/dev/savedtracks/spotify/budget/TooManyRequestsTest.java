package dev.savedtracks.spotify.budget;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What a 429 asks for, read from its Retry-After header and its body. */
class TooManyRequestsTest {

	private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	static Stream<Arguments> answers() {
		String quota = "{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\",\"reason\":\"QUOTA_EXCEEDED\"}}";
		return Stream.of(
				// Retry-After in seconds
				Arguments.of("30", "", Duration.ofSeconds(30), false), Arguments.of(" 0 ", "", Duration.ZERO, false),
				Arguments.of("0000000030", "", Duration.ofSeconds(30), false),
				Arguments.of("86400", "", Duration.ofDays(1), false),
				// bounded by a day, however absurd
				Arguments.of("86401", "", Duration.ofDays(1), false),
				Arguments.of("999999999", "", Duration.ofDays(1), false),
				Arguments.of("99999999999999999999999999", "", Duration.ofDays(1), false),
				// an HTTP date: the pause until then, none when past, at most a day
				Arguments.of(httpDate(NOW.plusSeconds(90)), "", Duration.ofSeconds(90), false),
				Arguments.of(httpDate(NOW.minusSeconds(90)), "", Duration.ZERO, false),
				Arguments.of(httpDate(NOW.plus(Duration.ofDays(30))), "", Duration.ofDays(1), false),
				// nothing usable
				Arguments.of(null, "", null, false), Arguments.of("", "", null, false),
				Arguments.of("  ", "", null, false), Arguments.of("-5", "", null, false),
				Arguments.of("1.5", "", null, false), Arguments.of("soon", "", null, false),
				Arguments.of("Thu, 32 Nov 2026 10:00:00 GMT", "", null, false),
				// the quota, in the error object or at the top level, with or without a
				// pause
				Arguments.of(null, quota, null, true), Arguments.of("3600", quota, Duration.ofHours(1), true),
				Arguments.of(null, "{\"reason\":\"QUOTA_EXCEEDED\"}", null, true),
				// anything else is a plain rate limit
				Arguments.of("5", "{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}",
						Duration.ofSeconds(5), false),
				Arguments.of("5", "{\"error\":{\"reason\":42}}", Duration.ofSeconds(5), false),
				Arguments.of("5", "Too many requests", Duration.ofSeconds(5), false),
				Arguments.of("5", "{\"error\":", Duration.ofSeconds(5), false));
	}

	@ParameterizedTest(name = "Retry-After {0}, body {1}")
	@MethodSource("answers")
	void aRateLimitAnswerAsksForWhatItsHeaderAndBodySay(String retryAfter, String body, Duration pause,
			boolean quotaExceeded) {
		TooManyRequests answer = TooManyRequests.read(retryAfter, body.getBytes(StandardCharsets.UTF_8), NOW);

		assertThat(answer.retryAfter()).isEqualTo(pause);
		assertThat(answer.quotaExceeded()).isEqualTo(quotaExceeded);
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
	}

}
