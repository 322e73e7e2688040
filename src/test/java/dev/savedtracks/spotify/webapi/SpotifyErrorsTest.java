package dev.savedtracks.spotify.webapi;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyAccessDenied.Reason;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.SpotifyUnavailable;

import static org.assertj.core.api.Assertions.assertThat;

/** What each error answer of the Web API means. */
class SpotifyErrorsTest {

	static Stream<Arguments> answers() {
		return Stream.of(
				// 403: who may not use the app, and why
				Arguments.of(403, "Check settings on developer.spotify.com/dashboard, the user may not be registered.",
						SpotifyAccessDenied.class, Reason.USER_NOT_REGISTERED,
						"Check settings on developer.spotify.com/dashboard, the user may not be registered."),
				Arguments.of(403, "User not registered in the Developer Dashboard", SpotifyAccessDenied.class,
						Reason.USER_NOT_REGISTERED, "User not registered in the Developer Dashboard"),
				Arguments.of(403, "User not approved for app", SpotifyAccessDenied.class, Reason.USER_NOT_REGISTERED,
						"User not approved for app"),
				Arguments.of(403, "403: the user may not be registered", SpotifyAccessDenied.class,
						Reason.USER_NOT_REGISTERED, "403: the user may not be registered"),
				Arguments.of(403,
						"{\"error\":{\"status\":403,\"message\":\"Active premium subscription required for the owner "
								+ "of the app.\"}}",
						SpotifyAccessDenied.class, Reason.OWNER_PREMIUM_REQUIRED,
						"Active premium subscription required for the owner of the app."),
				Arguments.of(403, "{\"error\":{\"status\":403,\"message\":\"Insufficient client scope\"}}",
						SpotifyAccessDenied.class, Reason.OTHER, "Insufficient client scope"),
				Arguments.of(403, "", SpotifyAccessDenied.class, Reason.OTHER, "no message"),
				// 5xx: transient, whatever the body
				Arguments.of(500, "", SpotifyUnavailable.class, null, "Spotify answered 500"),
				Arguments.of(502, "<html>Bad gateway</html>", SpotifyUnavailable.class, null, "Spotify answered 502"),
				Arguments.of(503, "{\"error\":{\"status\":503,\"message\":\"Service unavailable\"}}",
						SpotifyUnavailable.class, null, "Spotify answered 503"),
				// other 4xx: refusals no retry can fix
				Arguments.of(400, "{\"error\":{\"status\":400,\"message\":\"Invalid limit\"}}",
						SpotifyRequestRejected.class, null, "Spotify rejected the request with 400: Invalid limit"),
				Arguments.of(404, "{\"error\":{\"status\":404}}", SpotifyRequestRejected.class, null,
						"Spotify rejected the request with 404: no message"),
				Arguments.of(410, "gone\r\nfor\tgood", SpotifyRequestRejected.class, null,
						"Spotify rejected the request with 410: gone  for good"),
				Arguments.of(405, "", SpotifyRequestRejected.class, null,
						"Spotify rejected the request with 405: no message"),
				Arguments.of(302, "", SpotifyRequestRejected.class, null,
						"Spotify rejected the request with 302: no message"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("answers")
	void anErrorAnswerIsTheFailureItsStatusAndBodySay(int status, String body, Class<? extends SpotifyFailure> type,
			Reason reason, String logMessage) {
		SpotifyFailure failure = SpotifyErrors.failure(status, body.getBytes(StandardCharsets.UTF_8));

		assertThat(failure).isExactlyInstanceOf(type);
		if (failure instanceof SpotifyAccessDenied denied) {
			assertThat(denied.reason()).isEqualTo(reason);
			assertThat(failure.getMessage()).isEqualTo("Spotify refused access (403): " + logMessage);
		}
		else {
			assertThat(failure.getMessage()).isEqualTo(logMessage);
		}
	}

	@Test
	void aLongPlainTextBodyIsCutShort() {
		byte[] body = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);

		assertThat(SpotifyErrors.message(body)).hasSize(300);
	}

	@Test
	void aJsonMessageIsLoggedOnOneLineWithoutControlCharactersAndCutShort() {
		String forged = "{\"error\":{\"status\":400,\"message\":\"bad\\r\\n2026-12-07 ERROR forged\\u2028line\\u202e"
				+ "x".repeat(400) + "\"}}";

		String message = SpotifyErrors.message(forged.getBytes(StandardCharsets.UTF_8));

		assertThat(message).startsWith("bad  2026-12-07 ERROR forged line")
			.doesNotContain("\r", "\n", "\u2028", "\u202e");
		assertThat(message).hasSizeLessThanOrEqualTo(300);
	}

	@Test
	void outcomesAreCountedByStatusClassExceptTheThreeThatMatter() {
		assertThat(Stream.of(200, 204, 301, 400, 401, 403, 404, 429, 500, 503).map(SpotifyErrors::outcome))
			.containsExactly("ok", "ok", "4xx", "4xx", "401", "403", "4xx", "429", "5xx", "5xx");
	}

}
