package dev.savedtracks;

import java.util.LinkedHashMap;
import java.util.Map;

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
		properties.put("spotify.page-concurrency", "4");
		properties.put("spotify.response-timeout", RESPONSE_TIMEOUT);
		properties.put("token.encryption.key", tokenEncryptionKey);
		properties.put("spring.reactor.netty.shutdown-quiet-period", "0s");
		return properties;
	}

}
