package dev.savedtracks.system;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.session.web.http.CookieSerializer.CookieValue;
import org.springframework.session.web.http.DefaultCookieSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SESSION_COOKIE_SECURE=true} marks the session and CSRF cookies {@code Secure}
 * even on a request the app sees as plain HTTP (a TLS proxy that sends no
 * {@code X-Forwarded-Proto}); without it they follow the request.
 */
class SecureCookiesSettingTest {

	@Test
	void forcedSettingMarksBothCookiesSecureOnPlainHttp() {
		CookieSettings forced = new CookieSettings(true);

		String session = sessionCookie(forced);
		String csrf = csrfCookie(forced);

		assertThat(session).startsWith("SESSION=").contains("; Secure");
		assertThat(csrf).startsWith("XSRF-TOKEN=").contains("; Secure");
	}

	@Test
	void defaultSettingLeavesPlainHttpCookiesWithoutSecure() {
		CookieSettings byRequest = new CookieSettings(false);

		String session = sessionCookie(byRequest);
		String csrf = csrfCookie(byRequest);

		assertThat(session).doesNotContain("Secure");
		assertThat(csrf).doesNotContain("Secure");
	}

	private static String sessionCookie(CookieSettings settings) {
		DefaultCookieSerializer serializer = new DefaultCookieSerializer();
		new BrowserCookies().sessionCookie(settings).customize(serializer);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		MockHttpServletResponse response = new MockHttpServletResponse();
		serializer.writeCookieValue(new CookieValue(request, response, "session-id"));
		return response.getHeader("Set-Cookie");
	}

	private static String csrfCookie(CookieSettings settings) {
		CookieCsrfTokenRepository repository = BrowserCookies.csrfCookie(settings);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		MockHttpServletResponse response = new MockHttpServletResponse();
		repository.saveToken(repository.generateToken(request), request, response);
		return response.getHeader("Set-Cookie");
	}

}
