package dev.savedtracks.account;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.budget.RequestPermits;
import dev.savedtracks.system.ProblemException;
import dev.savedtracks.system.Problems;

/**
 * Sends a failed sign-in to a friendly page that says what happened in words (cancelled,
 * expired or forged request, Spotify refused this person or everyone, too many sign-ins
 * at once, Spotify asked the app to pause and until when, Spotify failed), never echoing
 * what the callback carried. A client that does not ask for a page is told that too many
 * sign-ins wait as a {@code 503} problem with {@code Retry-After}.
 */
@Component
class SignInFailureHandler implements AuthenticationFailureHandler {

	private static final Log logger = LogFactory.getLog(SignInFailureHandler.class);

	private final RequestPermits permits;

	private final Clock clock;

	private final JsonMapper json;

	SignInFailureHandler(RequestPermits permits, Clock clock, JsonMapper json) {
		this.permits = permits;
		this.clock = clock;
		this.json = json;
	}

	/**
	 * Error codes worth logging as they are. The code of a failed sign-in can be the
	 * callback's {@code error} parameter, which anyone can set to anything (line breaks
	 * that forge log lines, megabytes of text): any code not listed here is logged as
	 * {@code other}.
	 */
	private static final Set<String> KNOWN_CODES = Set.of(OAuth2ErrorCodes.ACCESS_DENIED,
			OAuth2ErrorCodes.INVALID_REQUEST, OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
			OAuth2ErrorCodes.UNSUPPORTED_RESPONSE_TYPE, OAuth2ErrorCodes.INVALID_SCOPE, OAuth2ErrorCodes.SERVER_ERROR,
			OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE, OAuth2ErrorCodes.INVALID_CLIENT, OAuth2ErrorCodes.INVALID_GRANT,
			OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE, OAuth2ErrorCodes.INVALID_TOKEN,
			OAuth2ErrorCodes.INVALID_REDIRECT_URI,
			// Spring Security's own, raised before or after talking to Spotify.
			"authorization_request_not_found", "invalid_state_parameter", "client_registration_not_found",
			"invalid_redirect_uri_parameter", "invalid_token_response", "missing_user_info_uri",
			"missing_user_name_attribute", SpotifyUserService.INVALID_USER_INFO_RESPONSE,
			// Ours, from GET /v1/me.
			SpotifyUserService.USER_NOT_REGISTERED, SpotifyUserService.OWNER_PREMIUM_REQUIRED,
			SpotifyUserService.ACCESS_DENIED, SpotifyUserService.SIGN_INS_CROWDED);

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String code = loggable((exception instanceof OAuth2AuthenticationException oauth)
				? oauth.getError().getErrorCode() : "unknown");
		String reason = switch (code) {
			case OAuth2ErrorCodes.ACCESS_DENIED -> "cancelled";
			// No matching authorization request in this session: a forged or stale state,
			// or a replayed callback.
			case "authorization_request_not_found", "invalid_state_parameter", OAuth2ErrorCodes.INVALID_GRANT ->
				"expired";
			case SpotifyUserService.USER_NOT_REGISTERED -> "not-registered";
			case SpotifyUserService.OWNER_PREMIUM_REQUIRED -> "owner-premium";
			case SpotifyUserService.ACCESS_DENIED -> "refused";
			case SpotifyUserService.SIGN_INS_CROWDED, OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE -> "busy";
			default -> "failed";
		};
		logger.info("Sign-in with Spotify failed: " + code);
		if (SpotifyUserService.SIGN_INS_CROWDED.equals(code) && !acceptsHtml(request)) {
			// A client that is not a browser page gets the answer itself.
			response.setHeader(HttpHeaders.RETRY_AFTER, ProblemException.retryAfterSeconds(SignInTurns.RETRY_AFTER));
			Problems.write(response,
					Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "sign-ins-busy", "Too many sign-ins at once",
							"Too many people are signing in right now (or this browser's sign-in is still waiting). "
									+ "Try again in a few seconds."),
					this.json);
			return;
		}
		response.sendRedirect(request.getContextPath() + "/signin-error?reason=" + reason + comeBack(reason));
	}

	/**
	 * When Spotify asked the app to pause every request (a 429 at sign-in, or one met by
	 * a sync), the time it ends, so that the page can say when to come back: a pause can
	 * last an hour or more.
	 */
	private String comeBack(String reason) {
		Duration pause = this.permits.pauseRemaining();
		if (!"busy".equals(reason) || pause.isZero()) {
			return "";
		}
		return "&until=" + this.clock.instant().plus(pause).plusSeconds(1).getEpochSecond();
	}

	private static boolean acceptsHtml(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
	}

	/**
	 * The code itself when it is one we know, else {@code other}: nothing a caller chose
	 * reaches the log.
	 */
	static String loggable(String code) {
		return KNOWN_CODES.contains(code) ? code : "other";
	}

}
