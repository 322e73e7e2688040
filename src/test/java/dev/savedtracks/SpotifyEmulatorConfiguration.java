package dev.savedtracks;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The one Spotify emulator of this test run, as a bean, with the key its tokens are
 * encrypted with: what every end-to-end test imports (through
 * {@link EmulatedSpotifyTest}, which points the application at it with
 * {@link EmulatorWiring}; properties must be in place before the web server starts, which
 * a registrar bean is not). The emulator is shared by every application context of the
 * run, so that contexts can be cached; users created by one test are never seen by
 * another (each test creates its own).
 */
@TestConfiguration(proxyBeanMethods = false)
public class SpotifyEmulatorConfiguration {

	/** The emulator every application context of this test run talks to. */
	public static final SpotifyEmulator EMULATOR = SpotifyEmulator.start();

	/** A token-encryption key generated for this test run only. */
	public static final String TOKEN_ENCRYPTION_KEY = TestSupport.randomKey();

	// Shared by every context of the run: a context closing must not stop it.
	@Bean(destroyMethod = "")
	SpotifyEmulator spotifyEmulator() {
		return EMULATOR;
	}

}
