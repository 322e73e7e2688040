package dev.savedtracks.system;

import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * The browser's two cookies, {@code Secure} when the request is, or always with
 * {@code SESSION_COOKIE_SECURE=true}: the session's (written by Spring Session) and the
 * CSRF token's.
 */
@Configuration(proxyBeanMethods = false)
class BrowserCookies {

	@Bean
	DefaultCookieSerializerCustomizer sessionCookie(CookieSettings cookies) {
		return serializer -> {
			if (cookies.secure()) {
				serializer.setUseSecureCookie(true);
			}
		};
	}

	/**
	 * The CSRF token in a cookie the page's scripts can read (what {@code csrf.spa()}
	 * sets up). A bean, so that the browser chain and a feature's own chain that serves a
	 * browser form (the MCP authorization server's consent) check the same token.
	 */
	@Bean
	CsrfTokenRepository browserCsrfTokens(CookieSettings cookies) {
		return csrfCookie(cookies);
	}

	static CookieCsrfTokenRepository csrfCookie(CookieSettings cookies) {
		CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
		if (cookies.secure()) {
			repository.setCookieCustomizer(cookie -> cookie.secure(true));
		}
		return repository;
	}

}
