package dev.savedtracks.mcpauth.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Error answers of the OAuth endpoints, shaped as their clients expect them (RFC 6749
 * 5.2, RFC 7591 3.2.2): {@code {"error": ..., "error_description": ...}}, never a
 * parser's message or a class name.
 */
final class OAuthErrors {

	/** How Spring Security describes a registration body it could not read. */
	private static final String UNREADABLE_REGISTRATION = "OAuth 2.0 Client Registration Error:";

	private OAuthErrors() {
	}

	/**
	 * A request to the token, revocation or introspection endpoint without client
	 * credentials: 401 {@code invalid_client}.
	 */
	static AuthenticationEntryPoint clientAuthenticationRequired(JsonMapper json) {
		return (request, response, ex) -> write(response, HttpStatus.UNAUTHORIZED, OAuth2ErrorCodes.INVALID_CLIENT,
				"Client authentication is required: client_id (and the client secret, for a confidential client).",
				json);
	}

	/**
	 * Spring Security's registration errors, with unreadable bodies described plainly.
	 */
	static AuthenticationFailureHandler registrationErrors(JsonMapper json) {
		return (request, response, ex) -> {
			OAuth2Error error = (ex instanceof OAuth2AuthenticationException oauth) ? oauth.getError()
					: new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
			String description = error.getDescription();
			if (description == null || description.startsWith(UNREADABLE_REGISTRATION)) {
				description = "The body must be a client registration: a JSON object with redirect_uris and the "
						+ "other fields of RFC 7591.";
			}
			HttpStatus status = OAuth2ErrorCodes.INVALID_TOKEN.equals(error.getErrorCode())
					|| OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode()) ? HttpStatus.UNAUTHORIZED
							: HttpStatus.BAD_REQUEST;
			write(response, status, error.getErrorCode(), description, json);
		};
	}

	static void write(HttpServletResponse response, HttpStatus status, String code, String description, JsonMapper json)
			throws IOException {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", code);
		body.put("error_description", description);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		json.writeValue(response.getOutputStream(), body);
	}

}
