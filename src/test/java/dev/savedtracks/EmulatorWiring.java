package dev.savedtracks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The settings that point the application at a Spotify emulator instead of Spotify: one
 * place for every way the application is started against it (the end-to-end tests,
 * replicas in JVMs of their own, the benchmark, the soak run,
 * {@code spring-boot:test-run}).
 */
public final class EmulatorWiring {

	/** How long the application waits for an answer from the emulator in the tests. */
	public static final String RESPONSE_TIMEOUT = "5s";

	/**
	 * Pages of one library requested at once in the tests (production's default is 8).
	 */
	public static final String PAGE_CONCURRENCY = "4";

	private EmulatorWiring() {
	}

	/** The client, the accounts service and the Web API of {@code emulator}. */
	public static Map<String, String> pointingAt(SpotifyEmulator emulator) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spotify.client-id", emulator.clientId());
		properties.put("spotify.client-secret", emulator.clientSecret());
		properties.put("spotify.accounts-url", emulator.accountsUrl());
		properties.put("spotify.api-url", emulator.apiUrl());
		return properties;
	}

	/**
	 * {@link #pointingAt} with test-sized retries, timeouts and concurrency, a
	 * token-encryption key, and no quiet period when the WebClient's event loops shut
	 * down: a test JVM closes each of its cached contexts in turn at exit, and Reactor
	 * Netty's default of two seconds per context added idle seconds at the end of every
	 * fork.
	 */
	public static Map<String, String> forTests(SpotifyEmulator emulator, String tokenEncryptionKey) {
		Map<String, String> properties = pointingAt(emulator);
		properties.put("spotify.retry-backoff", "10ms");
		properties.put("spotify.max-retry-backoff", "50ms");
		properties.put("spotify.max-rate-limit-wait", "5s");
		properties.put("spotify.page-concurrency", PAGE_CONCURRENCY);
		properties.put("spotify.response-timeout", RESPONSE_TIMEOUT);
		properties.put("token.encryption.key", tokenEncryptionKey);
		properties.put("spring.reactor.netty.shutdown-quiet-period", "0s");
		return properties;
	}

	/**
	 * Another replica of the end-to-end tests' application on {@code database}: the
	 * settings of {@link #forTests}, and no request budget, no recheck throttle and no
	 * warm-up, as {@link EmulatedSpotifyTest} has them. A test that starts replicas of
	 * its own starts each from these, then adds its own.
	 */
	public static Map<String, String> replica(SpotifyEmulator emulator, String tokenEncryptionKey,
			JdbcConnectionDetails database) {
		Map<String, String> properties = forTests(emulator, tokenEncryptionKey);
		properties.put("spotify.request-budget", "unlimited");
		properties.put("library.min-recheck", "0s");
		properties.put("library.warm-up", "false");
		properties.put("spring.datasource.url", database.getJdbcUrl());
		properties.put("spring.datasource.username", database.getUsername());
		String password = database.getPassword();
		if (password != null) {
			properties.put("spring.datasource.password", password);
		}
		return properties;
	}

}
