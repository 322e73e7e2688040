package dev.savedtracks.mcpauth.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.savedtracks.system.Problems;

/**
 * The consent form is a signed-in browser's state-changing request, so it carries the
 * browser's CSRF token like every other ({@code _csrf}, as the page rendered it). Spring
 * Security's authorization server turns CSRF protection off for its endpoints (their
 * callers are programs); the consent, posted to the authorization endpoint, is the one
 * exception, checked here against the same token store as the browser chain's.
 */
final class ConsentCsrf extends OncePerRequestFilter {

	private final String authorizationPath;

	private final CsrfTokenRepository tokens;

	private final JsonMapper json;

	private final XorCsrfTokenRequestAttributeHandler masked = new XorCsrfTokenRequestAttributeHandler();

	ConsentCsrf(String authorizationPath, CsrfTokenRepository tokens, JsonMapper json) {
		this.authorizationPath = authorizationPath;
		this.tokens = tokens;
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod())
				&& request.getRequestURI().substring(request.getContextPath().length()).equals(this.authorizationPath));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		CsrfToken expected = this.tokens.loadToken(request);
		String presented = (expected != null) ? this.masked.resolveCsrfTokenValue(request, expected) : null;
		if (expected == null || presented == null
				|| !MessageDigest.isEqual(expected.getToken().getBytes(StandardCharsets.UTF_8),
						presented.getBytes(StandardCharsets.UTF_8))) {
			Problems.write(response,
					Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
							"The consent was refused: its CSRF token is missing or invalid. Start the connection "
									+ "from the app again."),
					this.json);
			return;
		}
		chain.doFilter(request, response);
	}

}
