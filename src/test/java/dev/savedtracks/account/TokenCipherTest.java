package dev.savedtracks.account;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.savedtracks.TestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** AES-GCM token encryption: authenticated, bound to its row, and rotatable. */
class TokenCipherTest {

	private final String keyA = TestSupport.randomKey();

	private final String keyB = TestSupport.randomKey();

	@Test
	void roundTripsAndNeverRepeatsACiphertext() {
		TokenCipher cipher = cipher(this.keyA);

		String first = cipher.encrypt("BQsecret", "spotify-token|access|alice");
		String second = cipher.encrypt("BQsecret", "spotify-token|access|alice");

		assertThat(first).isNotEqualTo(second).doesNotContain("BQsecret");
		assertThat(cipher.decrypt(first, "spotify-token|access|alice")).isEqualTo("BQsecret");
	}

	@Test
	void valueCopiedToAnotherAccountDoesNotDecrypt() {
		TokenCipher cipher = cipher(this.keyA);
		String alices = cipher.encrypt("BQsecret", "spotify-token|access|alice");

		assertThatExceptionOfType(TokenCipher.UndecryptableToken.class)
			.isThrownBy(() -> cipher.decrypt(alices, "spotify-token|access|mallory"));
	}

	@Test
	void tamperedCiphertextIsRejected() {
		TokenCipher cipher = cipher(this.keyA);
		String stored = cipher.encrypt("BQsecret", "aad");
		char last = stored.charAt(stored.length() - 3);
		String tampered = stored.substring(0, stored.length() - 3) + (last == 'A' ? 'B' : 'A')
				+ stored.substring(stored.length() - 2);

		assertThatExceptionOfType(TokenCipher.UndecryptableToken.class)
			.isThrownBy(() -> cipher.decrypt(tampered, "aad"));
	}

	@Test
	void afterRotationOldValuesStillDecryptAndNewValuesUseTheNewKey() {
		String old = cipher(this.keyA).encrypt("AQrefresh", "aad");
		TokenCipher rotated = new TokenCipher(new TokenEncryptionSettings(this.keyB, List.of(this.keyA)));

		String fresh = rotated.encrypt("AQrefresh", "aad");

		assertThat(rotated.decrypt(old, "aad")).isEqualTo("AQrefresh");
		assertThat(rotated.isCurrent(old)).isFalse();
		assertThat(rotated.isCurrent(fresh)).isTrue();
		assertThat(fresh).startsWith("v1:" + TokenCipher.keyId(Base64.getDecoder().decode(this.keyB)) + ":");
	}

	@Test
	void valueUnderAnUnknownKeyIsReportedWithoutItsContent() {
		String old = cipher(this.keyA).encrypt("AQrefresh", "aad");

		assertThatExceptionOfType(TokenCipher.UndecryptableToken.class)
			.isThrownBy(() -> cipher(this.keyB).decrypt(old, "aad"))
			.withMessageContaining("TOKEN_ENCRYPTION_PREVIOUS_KEYS")
			.withMessageNotContaining("AQrefresh");
	}

	private static TokenCipher cipher(String key) {
		return new TokenCipher(new TokenEncryptionSettings(key, List.of()));
	}

}
