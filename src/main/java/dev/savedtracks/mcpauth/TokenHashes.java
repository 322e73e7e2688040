package dev.savedtracks.mcpauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Credentials of the authorization server at rest: each one (code, access token, refresh
 * token, consent state) is stored only as its SHA-256 hash, as API keys are. They carry
 * at least 256 random bits, so a fast hash cannot be reversed and lets every request find
 * its token by an index.
 */
final class TokenHashes {

	private static final SecureRandom random = new SecureRandom();

	private TokenHashes() {
	}

	static String hash(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code prefix} followed by 256 random bits, base64url. */
	static String generate(String prefix) {
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	static boolean sameHash(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
	}

}
