package dev.savedtracks.account;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import dev.savedtracks.system.Sha256;

/**
 * Encrypts token values with AES-256-GCM. A stored value reads
 * {@code v1:<key id>:<base64(iv|ciphertext|tag)>}: the key id (a fingerprint of the key,
 * never the key) lets old rows decrypt after a rotation. The owner and kind of the token
 * are bound as associated data, so a value copied to another row does not decrypt.
 */
@Component
class TokenCipher {

	private static final String PREFIX = "v1";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final String currentKeyId;

	private final Map<String, SecretKey> keys = new LinkedHashMap<>();

	TokenCipher(TokenEncryptionSettings settings) {
		this.currentKeyId = add(TokenEncryptionSettings.decode(settings.key(), "TOKEN_ENCRYPTION_KEY"));
		settings.previousKeys().forEach(k -> add(TokenEncryptionSettings.decode(k, "TOKEN_ENCRYPTION_PREVIOUS_KEYS")));
	}

	private String add(byte[] key) {
		String id = keyId(key);
		this.keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
		return id;
	}

	static String keyId(byte[] key) {
		return HexFormat.of().formatHex(Sha256.digest(key), 0, 4);
	}

	String encrypt(String plaintext, String associatedData) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
			return PREFIX + ":" + this.currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Token encryption failed", ex);
		}
	}

	String decrypt(String stored, String associatedData) {
		String[] parts = stored.split(":", 3);
		if (parts.length != 3 || !PREFIX.equals(parts[0])) {
			throw new UndecryptableToken("unknown token format");
		}
		SecretKey key = this.keys.get(parts[1]);
		if (key == null) {
			throw new UndecryptableToken("token was encrypted with key " + parts[1]
					+ ", which is neither TOKEN_ENCRYPTION_KEY nor in TOKEN_ENCRYPTION_PREVIOUS_KEYS");
		}
		try {
			byte[] in = Base64.getDecoder().decode(parts[2]);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new UndecryptableToken("token failed authentication");
		}
	}

	boolean isCurrent(String stored) {
		return stored.startsWith(PREFIX + ":" + this.currentKeyId + ":");
	}

	/**
	 * A stored token cannot be decrypted with the configured keys; the user has to sign
	 * in again.
	 */
	static class UndecryptableToken extends RuntimeException {

		UndecryptableToken(String message) {
			super(message);
		}

	}

}
