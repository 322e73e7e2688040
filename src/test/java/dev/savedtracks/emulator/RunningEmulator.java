package dev.savedtracks.emulator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulator's own tests' fixture: a fresh emulator for each test, which allows
 * {@link EmulatorClient#REDIRECT_URI}, with a client for it, closed after the test.
 * Register it with {@code @RegisterExtension final RunningEmulator running = new
 * RunningEmulator();}.
 */
final class RunningEmulator implements BeforeEachCallback, AfterEachCallback {

	private @Nullable SpotifyEmulator emulator;

	private @Nullable EmulatorClient client;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.emulator = SpotifyEmulator.start().allowRedirectUri(EmulatorClient.REDIRECT_URI);
		this.client = new EmulatorClient(this.emulator);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.emulator != null) {
			this.emulator.close();
			this.emulator = null;
			this.client = null;
		}
	}

	/** This test's emulator. */
	SpotifyEmulator emulator() {
		if (this.emulator == null) {
			throw new IllegalStateException("The emulator runs only during a test");
		}
		return this.emulator;
	}

	/** A client of this test's emulator. */
	EmulatorClient client() {
		if (this.client == null) {
			throw new IllegalStateException("The emulator runs only during a test");
		}
		return this.client;
	}

}
