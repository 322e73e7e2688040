package dev.savedtracks.system;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Probes, build info and Prometheus metrics on the management port; nothing but probes on
 * the public one.
 */
class OperabilityTest extends EmulatedSpotifyTest {

	@LocalManagementPort
	int managementPort;

	@Test
	void livenessAndReadinessProbesIncludingTheDatabase() {
		BrowserSession management = management();

		assertThat(management.get("/actuator/health/liveness", "application/json").body()).contains("\"UP\"");
		HttpResponse<String> readiness = management.get("/actuator/health/readiness", "application/json");
		assertThat(readiness.statusCode()).isEqualTo(200);
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
