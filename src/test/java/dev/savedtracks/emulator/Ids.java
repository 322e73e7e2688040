package dev.savedtracks.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Deterministic Spotify-looking ids derived from seeds, and random opaque tokens. */
final class Ids {

	private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	/**
	 * A 22-character base62 id, like Spotify's track, album and artist ids, always the
	 * same for the same seed.
	 */
	static String base62(String seed) {
		byte[] digest = sha256(seed.getBytes(StandardCharsets.UTF_8));
		StringBuilder id = new StringBuilder(22);
		for (int i = 0; i < 22; i++) {
			id.append(BASE62.charAt((digest[i] & 0xff) % 62));
		}
		return id.toString();
	}

	/** {@code length} lowercase hex characters derived from the seed (at most 64). */
	static String hex(String seed, int length) {
		byte[] digest = sha256(seed.getBytes(StandardCharsets.UTF_8));
		StringBuilder hex = new StringBuilder(length);
		for (int i = 0; hex.length() < length; i++) {
			hex.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
		}
		return hex.substring(0, length);
	}

	/** A long derived from the seed, to seed a deterministic random generator. */
	static long seed(String seed) {
		byte[] digest = sha256(seed.getBytes(StandardCharsets.UTF_8));
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (digest[i] & 0xff);
		}
		return value;
	}

	/**
	 * A random url-safe token with the given prefix; Spotify's access tokens start with
	 * BQ, refresh tokens with AQ.
	 */
	static String token(String prefix, int randomBytes) {
		byte[] bytes = new byte[randomBytes];
		RANDOM.nextBytes(bytes);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static byte[] sha256(byte[] input) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(input);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JRE", ex);
		}
	}

}
