package dev.savedtracks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.boot.SpringApplication;

import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * {@code ./mvnw spring-boot:test-run}: the service on http://127.0.0.1:8080 wired to the
 * built-in Spotify emulator, where any username signs in and owns a demo library, so no
 * Spotify account is needed.
 */
public final class TestSavedTracksApplication {

	static final int DEMO_LIBRARY_SIZE = 3000;

	private TestSavedTracksApplication() {
	}

	public static void main(String[] args) {
		int port = Integer.parseInt(System.getProperty("server.port", "8080"));
		SpotifyEmulator emulator = SpotifyEmulator.start(Integer.getInteger("emulator.port", 0))
			.defaultLibrarySize(Integer.getInteger("emulator.library-size", DEMO_LIBRARY_SIZE))
			.allowRedirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/spotify");
		EmulatorWiring.pointingAt(emulator).forEach(System::setProperty);
		System.setProperty("token.encryption.key", developmentKey(Path.of("data", "emulator-token-encryption.key")));
		System.setProperty("spring.thymeleaf.cache", "false");
		SpringApplication.from(SavedTracksApplication::main).run(args);
		System.out.printf(
				"%nSpotify emulator at %s. Open http://127.0.0.1:%d and sign in with any username "
						+ "(use 127.0.0.1, not localhost: Spotify refuses localhost redirect URIs).%n",
				emulator.apiUrl(), port);
	}

	/**
	 * A key for the emulator's throw-away tokens, generated on first run and kept beside
	 * the H2 database.
	 */
	private static String developmentKey(Path file) {
		try {
			if (Files.exists(file)) {
				return Files.readString(file, StandardCharsets.US_ASCII).trim();
			}
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			String encoded = Base64.getEncoder().encodeToString(key);
			Files.createDirectories(file.getParent());
			Files.writeString(file, encoded, StandardCharsets.US_ASCII);
			return encoded;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
