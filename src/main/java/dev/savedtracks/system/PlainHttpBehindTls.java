package dev.savedtracks.system;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Secure} cookies and HSTS follow the scheme the service sees: behind a TLS proxy
 * that sends no {@code X-Forwarded-Proto} (or with forwarded headers not trusted), every
 * request looks like plain HTTP and both fail open. When the public redirect URI says
 * {@code https}, this warns at start-up if nothing makes the service see HTTPS, and once
 * when a request nevertheless arrives as plain HTTP. Reads the settings by name, as the
 * ground floor knows no feature's settings type.
 */
@Configuration(proxyBeanMethods = false)
class PlainHttpBehindTls {

	private static final Log log = LogFactory.getLog(PlainHttpBehindTls.class);

	private final boolean publicHttps;

	private final boolean cookiesForced;

	private final @Nullable String warning;

	PlainHttpBehindTls(Environment environment, CookieSettings cookies) {
		this.publicHttps = isHttps(environment.getProperty("spotify.redirect-uri"));
		this.cookiesForced = cookies.secure();
		this.warning = startupWarning(environment.getProperty("spotify.redirect-uri"),
				environment.getProperty("server.forward-headers-strategy"),
				environment.getProperty("server.ssl.enabled", Boolean.class, false)
						|| environment.getProperty("server.ssl.bundle") != null,
				this.cookiesForced);
	}

	/**
	 * What to warn of at start-up, or {@code null}: the redirect URI is https, yet the
	 * service terminates no TLS, trusts no forwarded headers, and does not force
	 * {@code Secure} cookies.
	 */
	static @Nullable String startupWarning(@Nullable String redirectUri, @Nullable String forwardHeadersStrategy,
			boolean ssl, boolean cookiesForced) {
		boolean forwarded = forwardHeadersStrategy != null && !forwardHeadersStrategy.trim().equalsIgnoreCase("none")
				&& !forwardHeadersStrategy.isBlank();
		if (!isHttps(redirectUri) || ssl || forwarded || cookiesForced) {
			return null;
		}
		return "SPOTIFY_REDIRECT_URI is https, but the service will see plain HTTP (no TLS of its own, "
				+ "FORWARD_HEADERS_STRATEGY=none): cookies will not be Secure and no HSTS will be sent. Set "
				+ "FORWARD_HEADERS_STRATEGY=native behind a proxy that sends X-Forwarded-Proto, or SESSION_COOKIE_SECURE=true.";
	}

	@EventListener(ApplicationReadyEvent.class)
	void warnAtStartup() {
		if (this.warning != null) {
			log.warn(this.warning);
		}
	}

	/**
	 * Warns once of the first request seen as plain HTTP, when the public URI is https.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> plainHttpWarning() {
		AtomicBoolean warned = new AtomicBoolean();
		boolean watch = this.publicHttps && !this.cookiesForced;
		return new FilterRegistrationBean<>(new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if (watch && !request.isSecure() && warned.compareAndSet(false, true)) {
					log.warn("A request arrived as plain HTTP although SPOTIFY_REDIRECT_URI is https: the TLS proxy "
							+ "sends no X-Forwarded-Proto, or FORWARD_HEADERS_STRATEGY is not native. Cookies are "
							+ "not Secure and no HSTS is sent; set one of them, or SESSION_COOKIE_SECURE=true.");
				}
				chain.doFilter(request, response);
			}

		});
	}

	private static boolean isHttps(@Nullable String uri) {
		if (uri == null || uri.isBlank()) {
			return false;
		}
		try {
			String scheme = URI.create(uri.trim()).getScheme();
			return scheme != null && scheme.toLowerCase(Locale.ROOT).equals("https");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
