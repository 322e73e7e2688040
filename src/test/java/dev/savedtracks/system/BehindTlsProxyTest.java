package dev.savedtracks.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.ProductionGuards;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a proxy that terminates TLS and says so in {@code X-Forwarded-Proto} (trusted
 * with {@code FORWARD_HEADERS_STRATEGY=native}, as in the compose file), cookies are
 * {@code Secure} and HSTS is sent.
 */
@ProductionGuards
class BehindTlsProxyTest extends EmulatedSpotifyTest {

	@Test
	void requestForwardedFromHttpsGetsSecureCookiesAndHsts() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> home = browser.send(page("/", "https"));
		HttpResponse<String> signIn = browser.send(page("/oauth2/authorization/spotify", "https"));

		assertThat(cookie(home, "XSRF-TOKEN")).contains("; Secure");
		assertThat(cookie(signIn, "SESSION")).contains("; Secure").contains("; HttpOnly");
		assertThat(home.headers().firstValue("Strict-Transport-Security"))
			.hasValueSatisfying(hsts -> assertThat(hsts).contains("max-age="));
	}

	@Test
	void plainHttpRequestGetsNeitherSecureCookiesNorHsts() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> home = browser.send(page("/", null));
		HttpResponse<String> signIn = browser.send(page("/oauth2/authorization/spotify", null));

		assertThat(cookie(home, "XSRF-TOKEN")).doesNotContain("Secure");
		assertThat(cookie(signIn, "SESSION")).doesNotContain("Secure");
		assertThat(home.headers().firstValue("Strict-Transport-Security")).isEmpty();
	}

	private HttpRequest page(String path, String forwardedProto) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appUrl() + path)).header("Accept", "text/html");
		if (forwardedProto != null) {
			request.header("X-Forwarded-Proto", forwardedProto);
		}
		return request.GET().build();
	}

	/** The Set-Cookie header that sets {@code name}, as sent. */
	private static String cookie(HttpResponse<String> response, String name) {
		List<String> cookies = response.headers().allValues("Set-Cookie");
		return cookies.stream()
			.filter(c -> c.startsWith(name + "="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " cookie in " + cookies));
	}

}
