package dev.savedtracks.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spotify refuses {@code localhost} redirect URIs, so a browser on
 * {@code http://localhost:PORT} is sent to {@code http://127.0.0.1:PORT}, where sign-in
 * works; programs and proxied requests are left alone.
 */
class LocalhostRedirectTest extends EmulatedSpotifyTest {

	@Test
	void pageOnLocalhostIsRedirectedToTheLoopbackAddressKeepingPathAndQuery() {
		BrowserSession browser = new BrowserSession(localhostUrl());

		HttpResponse<String> response = browser.get("/some/page?q=a%20b&x=1", "text/html");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location"))
			.hasValue("http://127.0.0.1:" + this.port + "/some/page?q=a%20b&x=1");
		assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
	}

	@Test
	void signInStartedOnLocalhostCompletesOnTheLoopbackAddress() {
		EmulatedUser user = newUser(2).displayName("Local Newcomer");
		BrowserSession browser = new BrowserSession(localhostUrl());

		HttpResponse<String> home = browser.signIn(user.id());

		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.uri()).hasHost("127.0.0.1").hasPath("/");
		assertThat(home.body()).contains("Local Newcomer").contains("Sign out");
	}

	@Test
	void requestThroughAProxyIsNotRedirected() {
		BrowserSession browser = new BrowserSession(localhostUrl());

		HttpResponse<String> response = browser.send(HttpRequest.newBuilder(URI.create(localhostUrl() + "/"))
			.header("Accept", "text/html")
			.header("X-Forwarded-Host", "localhost:" + this.port)
			.GET()
			.build());

		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void programsAndProbesOnLocalhostAreNotRedirected() {
		BrowserSession browser = new BrowserSession(localhostUrl());

		HttpResponse<String> withKey = BrowserSession.withKey(localhostUrl() + "/api/saved-tracks",
				"sts_not-a-real-key", "GET", "application/json");
		HttpResponse<String> readiness = browser.get("/readyz", "application/json");

		assertThat(withKey.statusCode()).isEqualTo(401);
		assertThat(readiness.statusCode()).isEqualTo(200);
	}

	private String localhostUrl() {
		return "http://localhost:" + this.port;
	}

}
