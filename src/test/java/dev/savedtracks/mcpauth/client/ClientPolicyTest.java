package dev.savedtracks.mcpauth.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an app's name may look like on the consent page and under Connected apps. */
class ClientPolicyTest {

	@Test
	void controlFormatAndBidirectionalCharactersAreRemovedAndSpacesJoined() {
		assertThat(ClientPolicy.cleanName("  Claude\u202E\u200B\n\tDesktop\u0000 ")).isEqualTo("Claude Desktop");
		assertThat(ClientPolicy.cleanName("\u202Eaidua\u202C")).isEqualTo("aidua");
	}

	@Test
	void htmlStaysTextForThePagesToEscape() {
		assertThat(ClientPolicy.cleanName("<img src=x onerror=alert(1)>")).isEqualTo("<img src=x onerror=alert(1)>");
	}

	@Test
	void anEmptyOrInvisibleNameIsUnnamedAndALongOneIsCutAtAHundredCharacters() {
		assertThat(ClientPolicy.cleanName(null)).isEqualTo("Unnamed app");
		assertThat(ClientPolicy.cleanName("\u200B\u2066 \u2069")).isEqualTo("Unnamed app");
		assertThat(ClientPolicy.cleanName("é".repeat(150))).hasSize(100);
		String notes = ClientPolicy.cleanName("\uD83C\uDFB5".repeat(150));
		assertThat(notes.codePointCount(0, notes.length())).isEqualTo(100);
		assertThat(notes).endsWith("\uD83C\uDFB5");
	}

}
