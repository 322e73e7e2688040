package dev.savedtracks.system;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a browser that opened {@code http://localhost:PORT} to
 * {@code http://127.0.0.1:PORT}, same path and query. Spotify refuses {@code localhost}
 * redirect URIs since November 2025 and accepts the loopback IP literal, and the redirect
 * URI derives from the address the browser used, so a sign-in started on
 * {@code localhost} could never work. Only page loads are redirected (GET and HEAD
 * without credentials, not health probes): a program calling the API on {@code localhost}
 * with a key keeps working, and its key is not sent on to another host. Requests that
 * came through a proxy ({@code Forwarded} or {@code X-Forwarded-Host}) are left alone:
 * there the public address is the proxy's business.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class LocalhostRedirectFilter extends OncePerRequestFilter {

	/**
	 * Load balancers' health checks, which may well address the app as localhost and must
	 * not be redirected.
	 */
	private static final Set<String> PROBES = Set.of("/livez", "/readyz");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String loopback = loopbackHost(request);
		if (loopback == null) {
			chain.doFilter(request, response);
			return;
		}
		StringBuilder location = new StringBuilder(request.getScheme()).append("://")
			.append(loopback)
			.append(request.getRequestURI());
		if (request.getQueryString() != null) {
			location.append('?').append(request.getQueryString());
		}
		// 302, not 308: a permanent redirect would be cached and follow the developer to
		// their next localhost app.
		response.setStatus(HttpServletResponse.SC_FOUND);
		response.setHeader(HttpHeaders.LOCATION, location.toString());
	}

	/**
	 * {@code 127.0.0.1[:port]} when the request is a page load addressed to
	 * {@code localhost[:port]}, else null.
	 */
	private static @Nullable String loopbackHost(HttpServletRequest request) {
		String method = request.getMethod();
		if (!("GET".equals(method) || "HEAD".equals(method)) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
				|| request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-Host") != null
				|| PROBES.contains(request.getRequestURI()) || request.getRequestURI().startsWith("/actuator/")) {
			return null;
		}
		String host = request.getHeader(HttpHeaders.HOST);
		if (host == null) {
			return null;
		}
		String lower = host.toLowerCase(Locale.ROOT);
		if (lower.equals("localhost") || lower.equals("localhost.")) {
			return "127.0.0.1";
		}
		for (String name : new String[] { "localhost:", "localhost.:" }) {
			if (lower.startsWith(name)) {
				String port = lower.substring(name.length());
				return (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit))
						? "127.0.0.1:" + port : null;
			}
		}
		return null;
	}

}
