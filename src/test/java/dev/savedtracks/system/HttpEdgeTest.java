package dev.savedtracks.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's HTTP edge, end to end: what any request meets before a feature answers.
 * <p>
 * Errors are problem+json for programs and a plain page for people; every page carries
 * the security headers.
 * <p>
 * Spotify refuses {@code localhost} redirect URIs, so a browser on
 * {@code http://localhost:PORT} is sent to {@code http://127.0.0.1:PORT}, where sign-in
 * works; programs and proxied requests are left alone.
 * <p>
 * Probes, build info and Prometheus metrics on the management port; nothing but probes on
 * the public one.
 */
class HttpEdgeTest extends EmulatedSpotifyTest {

	/** Where the container's health checker asks (docker-compose.yml's THC_PATH). */
	static final String READINESS_PATH = "/actuator/health/readiness";

	@LocalManagementPort
	int managementPort;

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

	// Localhost sent to the loopback address.

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

	// Probes, build info and metrics on the management port.

	@Test
	void livenessAndReadinessProbesIncludingTheDatabase() {
		BrowserSession management = management();

		assertThat(management.get("/actuator/health/liveness", "application/json").body()).contains("\"UP\"");
		HttpResponse<String> readiness = management.get(READINESS_PATH, "application/json");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"UP\"");
		assertThat(new BrowserSession(appUrl()).get("/livez", "application/json").statusCode()).isEqualTo(200);
		assertThat(new BrowserSession(appUrl()).get("/readyz", "application/json").statusCode()).isEqualTo(200);
	}

	@Test
	void infoCarriesBuildData() {
		HttpResponse<String> info = management().get("/actuator/info", "application/json");

		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.body()).contains("\"build\"").contains("saved-tracks-service");
	}

	@Test
	void prometheusExposesSpotifyCacheAndSyncMetrics() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		spotify.faults().atOffset(50, Fault.rateLimited(0), 1);
		browser.api("/api/saved-tracks");
		browser.api("/api/saved-tracks");
		browser.api("/api/saved-tracks?refresh=true");

		String metrics = management().get("/actuator/prometheus", "text/plain").body();

		assertThat(metrics).contains("spotify_requests_total{application=\"saved-tracks-service\",outcome=\"ok\"}")
			.contains("outcome=\"429\"")
			.contains("spotify_rate_limit_pauses_total")
			.contains("library_cache_total{application=\"saved-tracks-service\",result=\"hit\"}")
			.contains("result=\"miss\"")
			.contains("result=\"revalidation\"")
			.contains("library_sync_seconds_count{application=\"saved-tracks-service\",outcome=\"full\"}")
			.contains("library_sync_pages_total")
			.contains("library_syncs_active");
	}

	@Test
	void prometheusExposesTheLibrarysThreadPoolsAndTheScheduler() {
		String metrics = management().get("/actuator/prometheus", "text/plain").body();

		assertThat(metrics)
			.contains("executor_pool_max_threads{application=\"saved-tracks-service\",name=\"librarySyncExecutor\"}")
			.contains("name=\"libraryBackgroundSyncExecutor\"")
			.contains("name=\"libraryExportExecutor\"")
			.contains("name=\"taskScheduler\"");
	}

	@Test
	void managementEndpointsOtherThanProbesAreNotOnThePublicPort() {
		BrowserSession outsider = new BrowserSession(appUrl());

		// Sent to sign-in (302) or refused: either way, not served.
		assertThat(outsider.get("/actuator/prometheus", "text/plain").statusCode()).isIn(302, 401, 404);
		assertThat(outsider.get("/actuator/env", "application/json").statusCode()).isIn(401, 404);
		assertThat(signedIn(newUser(1)).get("/actuator/prometheus", "text/plain").statusCode()).isEqualTo(404);
	}

	private BrowserSession management() {
		return new BrowserSession("http://127.0.0.1:" + this.managementPort);
	}

}
