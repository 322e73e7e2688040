package dev.savedtracks.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256, the one digest the service uses (API-key hashes, key fingerprints, ETags,
 * track keys, listing digests, metric tags): one place that knows the algorithm's name
 * and that every JRE has it, so that no caller handles an exception that cannot happen.
 * Text is digested as UTF-8.
 */
public final class Sha256 {

	private Sha256() {
	}

	/** A new digest, for input given piece by piece. */
	public static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JRE", ex);
		}
	}

	/** The digest of {@code input}: 32 bytes. */
	public static byte[] digest(byte[] input) {
		return newDigest().digest(input);
	}

	/** The digest of {@code text} as UTF-8: 32 bytes. */
	public static byte[] digest(String text) {
		return digest(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The digest of {@code text} as UTF-8, in URL-safe base64 without padding (43
	 * characters).
	 */
	public static String base64Url(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(text));
	}

}
