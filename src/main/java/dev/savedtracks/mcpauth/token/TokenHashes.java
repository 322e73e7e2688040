package dev.savedtracks.mcpauth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import dev.savedtracks.system.Sha256;

/**
 * Credentials of the authorization server at rest: each one (code, access token, refresh
 * token, consent state) is stored only as its SHA-256 hash in hex, as API keys are. They
 * carry 256 random bits, so a fast hash cannot be reversed and lets every request find
 * its token by an index.
 */
final class TokenHashes {

	private static final SecureRandom random = new SecureRandom();

	private TokenHashes() {
	}

	static String hash(String token) {
		return HexFormat.of().formatHex(Sha256.digest(token));
	}

	/** {@code prefix} followed by 256 random bits, base64url. */
	static String generate(String prefix) {
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	/**
	 * Whether two hashes are equal, in time that does not depend on where they differ.
	 */
	static boolean sameHash(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
	}

}
