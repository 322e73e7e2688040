package dev.savedtracks.mcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackSearchFoldTest {

	/** A combining mark, which sends a text through the full decomposition. */
	private static final String MARK = "\u0301";

	@Test
	void foldsAccentsAndLettersThatDoNotDecomposeTheWayPeopleTypeThem() {
		assertThat(TrackSearch.fold("Beyoncé")).isEqualTo("beyonce");
		assertThat(TrackSearch.fold("Röyksopp")).isEqualTo("royksopp");
		assertThat(TrackSearch.fold("MØ Æther Straße Łódź Þór")).isEqualTo("mo aether strasse lodz thor");
		assertThat(TrackSearch.fold("Sigur Rós")).isEqualTo("sigur ros");
	}

	@Test
	void everyLetterFoldsAsTheFullDecompositionFoldsIt() {
		for (char c = 0; c < Character.MAX_VALUE; c++) {
			int type = Character.getType(c);
			if (Character.isSurrogate(c) || type == Character.NON_SPACING_MARK
					|| type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK) {
				continue;
			}
			String letter = String.valueOf(c);

			String byLetter = TrackSearch.fold(letter);
			String decomposed = TrackSearch.fold(letter + MARK);

			assertThat(byLetter).as("U+%04X", (int) c).isEqualTo(decomposed);
		}
	}

	@Test
	void dashesAndCurlyQuotesKeepTheirPlaceAmongFoldedLetters() {
		assertThat(TrackSearch.fold("Track 10 – Né’on")).isEqualTo("track 10 – ne’on");
	}

	@Test
	void combiningMarksTypedApartAreDroppedToo() {
		assertThat(TrackSearch.fold("Beyonce\u0301")).isEqualTo("beyonce");
	}

}
