package dev.savedtracks.system;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors are problem+json for programs and a plain page for people; every page carries
 * the security headers.
 */
class ErrorsAndHeadersTest extends EmulatedSpotifyTest {

	@Test
	void unknownApiPathIsAProblemWithoutInternals() {
		BrowserSession browser = signedIn(newUser(1));

		HttpResponse<String> response = browser.api("/api/does-not-exist");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("trace");
	}

	@Test
	void unknownPageIsAPlainErrorPageNotWhitelabel() {
		BrowserSession browser = signedIn(newUser(1));

		HttpResponse<String> response = browser.get("/no-such-page", "text/html");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("404").doesNotContain("Whitelabel").doesNotContain("Exception");
	}

	@Test
	void pagesCarryTheSecurityHeaders() {
		HttpResponse<String> home = new BrowserSession(appUrl()).get("/", "text/html");

		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'")
			.contains("script-src 'self'")
			.contains("frame-ancestors 'none'")
			.doesNotContain("unsafe-inline");
		assertThat(home.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(home.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(home.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
		assertThat(home.body()).doesNotContain("<script>").contains("Sign in with Spotify");
	}

	@Test
	void oversizedHeadersAreRefusedWithAClientError() {
		BrowserSession browser = new BrowserSession(appUrl());

		HttpResponse<String> response = browser
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(appUrl() + "/api/saved-tracks"))
				.header("Accept", "application/json")
				.header("X-Padding", "x".repeat(40_000))
				.GET()
				.build());

		assertThat(response.statusCode()).isBetween(400, 499);
	}

	@Test
	void stateChangingRequestWithoutCsrfTokenIsRefused() {
		BrowserSession browser = signedIn(newUser(1));

		HttpResponse<String> response = browser
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(appUrl() + "/logout"))
				.header("Accept", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.noBody())
				.build());

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);
	}

}
