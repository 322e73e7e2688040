package dev.savedtracks.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A public https redirect URI with nothing that makes the service see HTTPS is warned of
 * at start-up: behind such a proxy, Secure cookies and HSTS fail open.
 */
class PlainHttpBehindTlsTest {

	private static final String HTTPS = "https://tracks.example/login/oauth2/code/spotify";

	@Test
	void anHttpsRedirectUriWithNoForwardedHeadersNoTlsAndNoForcedCookiesIsWarnedOf() {
		assertThat(PlainHttpBehindTls.startupWarning(HTTPS, "none", false, false))
			.contains("FORWARD_HEADERS_STRATEGY=native")
			.contains("SESSION_COOKIE_SECURE=true");
		assertThat(PlainHttpBehindTls.startupWarning(HTTPS, null, false, false)).isNotNull();
	}

	@Test
	void anyOfForwardedHeadersTlsOrForcedCookiesOrAnHttpRedirectUriIsNoCauseForWarning() {
		assertThat(PlainHttpBehindTls.startupWarning(HTTPS, "native", false, false)).isNull();
		assertThat(PlainHttpBehindTls.startupWarning(HTTPS, "none", true, false)).isNull();
		assertThat(PlainHttpBehindTls.startupWarning(HTTPS, "none", false, true)).isNull();
		assertThat(PlainHttpBehindTls.startupWarning("http://127.0.0.1:8080/login/oauth2/code/spotify", "none", false,
				false))
			.isNull();
		assertThat(PlainHttpBehindTls.startupWarning("", "none", false, false)).isNull();
	}

}
