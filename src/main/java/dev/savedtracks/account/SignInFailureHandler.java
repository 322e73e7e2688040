package dev.savedtracks.account;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.stereotype.Component;

/**
 * Sends a failed sign-in to a friendly page that says what happened in words (cancelled, expired or forged
 * request, Spotify refused this person or everyone, Spotify failed), never echoing what the callback carried.
 */
@Component
class SignInFailureHandler implements AuthenticationFailureHandler {

	private static final Log logger = LogFactory.getLog(SignInFailureHandler.class);

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String code = (exception instanceof OAuth2AuthenticationException oauth) ? oauth.getError().getErrorCode()
				: "unknown";
		String reason = switch (code) {
			case "access_denied" -> "cancelled";
			// No matching authorization request in this session: a forged or stale state, or a replayed callback.
			case "authorization_request_not_found", "invalid_state_parameter", "invalid_grant" -> "expired";
			case SpotifyUserService.USER_NOT_REGISTERED -> "not-registered";
			case SpotifyUserService.OWNER_PREMIUM_REQUIRED -> "owner-premium";
			case SpotifyUserService.ACCESS_DENIED -> "refused";
			default -> "failed";
		};
		logger.info("Sign-in with Spotify failed: " + code);
		response.sendRedirect(request.getContextPath() + "/signin-error?reason=" + reason);
	}

}
