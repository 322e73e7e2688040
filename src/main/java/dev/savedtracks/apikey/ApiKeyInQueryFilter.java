package dev.savedtracks.apikey;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.savedtracks.system.Problems;

/**
 * Refuses any request that carries an API key or bearer token in its query string: URLs
 * end up in logs, proxies and browser history, so a key there must be treated as leaked,
 * never as a credential.
 */
class ApiKeyInQueryFilter extends OncePerRequestFilter {

	private final JsonMapper json;

	ApiKeyInQueryFilter(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getQueryString() != null && carriesKey(request)) {
			Problems
				.write(response,
						Problems
							.of(HttpStatus.BAD_REQUEST, "credential-in-query", "Credential in the URL",
									"Send API keys only in the Authorization header (Authorization: Bearer "
											+ "<key>), never in the URL. Revoke a key that was sent in a URL."),
						this.json);
			return;
		}
		chain.doFilter(request, response);
	}

	// Reads the raw query string only: a form body is none of this filter's business and
	// must stay unread.
	private static boolean carriesKey(HttpServletRequest request) {
		for (String pair : request.getQueryString().split("&")) {
			int eq = pair.indexOf('=');
			String name = decode((eq < 0) ? pair : pair.substring(0, eq));
			String value = (eq < 0) ? "" : decode(pair.substring(eq + 1));
			if (name.equalsIgnoreCase("access_token") || value.startsWith(ApiKeys.PREFIX)) {
				return true;
			}
		}
		return false;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

}
