package dev.savedtracks.mcpauth.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Sends the browser back to the client with the code (or the error), as the authorization
 * endpoint does, with one difference: the answer to the consent form is not a redirect
 * but a page that navigates itself ({@code meta refresh}, and a link). The page's
 * {@code form-action 'self'} policy covers where a form submission may be redirected, and
 * some browsers block the redirect to the client's own address.
 */
final class AuthorizationResponses implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		OAuth2AuthorizationCodeRequestAuthenticationToken authorized = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(authorized.getRedirectUri())
			.queryParam(OAuth2ParameterNames.CODE, authorized.getAuthorizationCode().getTokenValue());
		if (StringUtils.hasText(authorized.getState())) {
			uri.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(authorized.getState(), StandardCharsets.UTF_8));
		}
		send(request, response, uri.build(true).toUriString(), "Access allowed",
				"You allowed the app to read your saved tracks. Taking you back to it…");
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = (exception instanceof OAuth2AuthenticationException oauth) ? oauth.getError()
				: new OAuth2Error("server_error");
		OAuth2AuthorizationCodeRequestAuthenticationToken asked = (exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException failed)
				? failed.getAuthorizationCodeRequestAuthentication() : null;
		if (asked == null || !StringUtils.hasText(asked.getRedirectUri())) {
			// No redirect URI that may be trusted: the person gets the error page.
			response.sendError(HttpStatus.BAD_REQUEST.value());
			return;
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(asked.getRedirectUri())
			.queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
		if (StringUtils.hasText(error.getDescription())) {
			uri.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION,
					UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
		}
		if (StringUtils.hasText(asked.getState())) {
			uri.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(asked.getState(), StandardCharsets.UTF_8));
		}
		send(request, response, uri.build(true).toUriString(), "Access not allowed",
				"The app was not allowed to read your saved tracks. Taking you back to it…");
	}

	private static void send(HttpServletRequest request, HttpServletResponse response, String location, String title,
			String message) throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.sendRedirect(location);
			return;
		}
		String href = HtmlUtils.htmlEscape(location);
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(MediaType.TEXT_HTML_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Referrer-Policy", "no-referrer");
		response.getWriter()
			.write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
					+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
					+ "<meta http-equiv=\"refresh\" content=\"0;url=" + href + "\"><title>" + title
					+ " — Saved tracks</title><link rel=\"stylesheet\" href=\"" + request.getContextPath()
					+ "/css/site.css\"></head><body><main><h1>" + title + "</h1><p id=\"message\">" + message
					+ "</p><p><a id=\"continue\" class=\"button\" href=\"" + href
					+ "\">Continue to the app</a></p></main></body></html>");
	}

}
