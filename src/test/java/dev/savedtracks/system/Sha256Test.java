package dev.savedtracks.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one SHA-256 helper gives the standard's digests, however its input is given. */
class Sha256Test {

	private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

	@Test
	void digestsTextAsUtf8AndBytesAsTheyAre() {
		assertThat(HexFormat.of().formatHex(Sha256.digest("abc"))).isEqualTo(ABC);
		assertThat(HexFormat.of().formatHex(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(ABC);
		assertThat(Sha256.digest("é")).isEqualTo(Sha256.digest("é".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void base64UrlIsTheDigestUrlSafeWithoutPadding() {
		assertThat(Sha256.base64Url("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
	}

	@Test
	void aNewDigestTakesInputPieceByPiece() {
		MessageDigest digest = Sha256.newDigest();
		digest.update("a".getBytes(StandardCharsets.UTF_8));
		digest.update("bc".getBytes(StandardCharsets.UTF_8));

		assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(ABC);
	}

}
