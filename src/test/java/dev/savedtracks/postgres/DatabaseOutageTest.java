package dev.savedtracks.postgres;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.OnPostgres;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away and comes back: requests fail fast with 503 problem+json,
 * readiness says DOWN, and the service recovers without a restart. The application under
 * test gets a PostgreSQL database of its own, which the test closes to connections (and
 * whose open connections it terminates), then opens again.
 */
@OnPostgres
class DatabaseOutageTest extends EmulatedSpotifyTest {

	private final String name = "outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	@Autowired
	JdbcConnectionDetails server;

	private InProcessService app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		allowConnections(true);
		this.jdbc.sql("drop database if exists " + this.name + " with (force)").update();
	}

	@Test
	void failsFastWhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
		this.jdbc.sql("create database " + this.name).update();
		this.app = startApp();
		String url = this.app.url();
		spotify.allowRedirectUri(url + "/login/oauth2/code/spotify");
		EmulatedUser user = newUser(30);
		BrowserSession browser = new BrowserSession(url);
		browser.signIn(user.id());
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);

		allowConnections(false);
		this.jdbc.sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = ?")
			.param(this.name)
			.query()
			.listOfRows();
		Instant asked = Instant.now();
		HttpResponse<String> during = browser.api("/api/saved-tracks");
		Duration took = Duration.between(asked, Instant.now());
		HttpResponse<String> readiness = browser.get("/readyz", "application/json");

		assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
		assertThat(during.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(during.headers().firstValue("Retry-After")).isPresent();
		assertThat(during.body()).contains("database-unavailable").doesNotContain("Exception");
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		assertThat(readiness.statusCode()).isEqualTo(503);

		allowConnections(true);
		HttpResponse<String> after = browser.api("/api/saved-tracks");
		for (int i = 0; i < 40 && after.statusCode() != 200; i++) {
			Thread.sleep(250);
			after = browser.api("/api/saved-tracks");
		}
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(browser.get("/readyz", "application/json").statusCode()).isEqualTo(200);
	}

	private void allowConnections(boolean allow) {
		this.jdbc.sql("alter database " + this.name + " allow_connections " + allow).update();
	}

	private InProcessService startApp() {
		String databaseUrl = dev.savedtracks.PostgresDatabase.withDatabase(this.server.getJdbcUrl(), this.name);
		java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
		properties.put("spring.datasource.url", databaseUrl);
		properties.put("spring.datasource.username", this.server.getUsername());
		properties.put("spring.datasource.password", this.server.getPassword());
		properties.put("spring.datasource.hikari.connection-timeout", "1500");
		properties.putAll(EmulatorWiring.pointingAt(spotify));
		properties.put("token.encryption.key", TEST_KEY);
		return InProcessService.start(properties);
	}

}
