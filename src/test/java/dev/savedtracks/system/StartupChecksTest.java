package dev.savedtracks.system;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;

import dev.savedtracks.SavedTracksApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The service refuses to start on missing or invalid configuration, with one clear line
 * naming what to set.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupChecksTest {

	private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	/**
	 * Logging is set up once per JVM: an application context still open from an earlier
	 * test class (the test context cache keeps them) would keep its console format, and
	 * each start here would log in that format rather than its own; and the console's
	 * structured format, once chosen, stays in a system property for every later start.
	 * Forgetting both makes each start set logging up from its own properties.
	 */
	@BeforeEach
	void eachStartSetsUpItsOwnLogging() {
		forgetLogging();
	}

	/** Leaves the console as the next test classes expect it: plain text. */
	@AfterAll
	static void restorePlainConsole() {
		LoggingSystem logging = forgetLogging();
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

	private static LoggingSystem forgetLogging() {
		System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
		LoggingSystem logging = LoggingSystem.get(StartupChecksTest.class.getClassLoader());
		logging.cleanUp();
		return logging;
	}

	@Test
	void missingSpotifyCredentialsStopStartupNamingTheVariables(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(Map.of("token.encryption.key", KEY)));

		assertThat(output).contains("SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET must be set")
			.contains("APPLICATION FAILED TO START");
	}

	@Test
	void missingEncryptionKeyStopsStartupNamingTheVariable(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(Map.of("spotify.client-id", "id", "spotify.client-secret", "secret")));

		assertThat(output).contains("TOKEN_ENCRYPTION_KEY must be set").contains("openssl rand -base64 32");
	}

	@Test
	void encryptionKeyOfTheWrongLengthIsRefused(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(Map.of("spotify.client-id", "id", "spotify.client-secret",
				"secret", "token.encryption.key", "c2hvcnQ=")));

		assertThat(output).contains("TOKEN_ENCRYPTION_KEY must decode to 32 bytes");
	}

	@Test
	void outOfRangeConcurrencyIsRefused(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(Map.of("spotify.client-id", "id", "spotify.client-secret",
				"secret", "token.encryption.key", KEY, "spotify.page-concurrency", "0")));

		assertThat(output).contains("SPOTIFY_PAGE_CONCURRENCY must be between 1 and 64");
	}

	@Test
	void localhostRedirectUriIsRefusedNamingTheSetting(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> start(Map.of("spotify.client-id", "id", "spotify.client-secret", "secret", "token.encryption.key",
						KEY, "spotify.redirect-uri", "http://localhost:8080/login/oauth2/code/spotify")));

		assertThat(output).contains("SPOTIFY_REDIRECT_URI must be an https URL, or http on 127.0.0.1 or [::1]")
			.contains("APPLICATION FAILED TO START");
	}

	@Test
	void oneVariableSwitchesTheConsoleToJsonLines(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(Map.of("token.encryption.key", KEY, "logging.structured.format.console", "ecs")));

		String line = output.getOut().lines().filter(l -> l.contains("SPOTIFY_CLIENT_ID")).findFirst().orElseThrow();
		assertThat(line).startsWith("{").contains("\"@timestamp\"").contains("\"log\":{\"level\":\"ERROR\"");
	}

	private static void start(Map<String, Object> properties) {
		Map<String, Object> all = new java.util.HashMap<>(properties);
		all.put("server.port", "0");
		all.put("spring.datasource.url", "jdbc:h2:mem:startup-" + java.util.UUID.randomUUID());
		all.putIfAbsent("spotify.client-id", "");
		all.putIfAbsent("spotify.client-secret", "");
		all.putIfAbsent("token.encryption.key", "");
		// Command-line arguments, because they outrank application.yml as environment
		// variables do.
		String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		new SpringApplicationBuilder(SavedTracksApplication.class).run(args).close();
	}

}
