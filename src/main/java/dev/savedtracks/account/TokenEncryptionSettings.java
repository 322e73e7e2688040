package dev.savedtracks.account;

import java.util.Base64;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * Keys that protect Spotify tokens at rest. {@code key} encrypts every new value;
 * {@code previousKeys} only decrypt values written before a rotation.
 */
@ConfigurationProperties("token.encryption")
record TokenEncryptionSettings(String key, @DefaultValue("") List<String> previousKeys) {

	private static final String HOW_TO = "Generate one with: openssl rand -base64 32  (and keep it out of the repository).";

	TokenEncryptionSettings {
		if (key == null || key.isBlank()) {
			throw new InvalidConfiguration("TOKEN_ENCRYPTION_KEY must be set to 32 random bytes, base64-encoded",
					HOW_TO);
		}
		decode(key, "TOKEN_ENCRYPTION_KEY");
		previousKeys = previousKeys.stream().filter(k -> !k.isBlank()).toList();
		previousKeys.forEach(k -> decode(k, "TOKEN_ENCRYPTION_PREVIOUS_KEYS"));
	}

	static byte[] decode(String base64, String variable) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfiguration(variable + " is not valid base64", HOW_TO);
		}
		if (bytes.length != 32) {
			throw new InvalidConfiguration(variable + " must decode to 32 bytes, got " + bytes.length, HOW_TO);
		}
		return bytes;
	}

}
