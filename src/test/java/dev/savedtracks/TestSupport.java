package dev.savedtracks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Small things several tests and the benchmark need: a free port, a fresh
 * token-encryption key.
 */
public final class TestSupport {

	private TestSupport() {
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** 32 random bytes, base64: a valid TOKEN_ENCRYPTION_KEY. */
	public static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
