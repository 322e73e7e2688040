package dev.savedtracks.mcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackSearchFoldTest {

	/** A letter outside the table, which sends a text through the full decomposition. */
	private static final String UNTABLED = "\u4E00";

	@Test
	void foldsAccentsAndLettersThatDoNotDecomposeTheWayPeopleTypeThem() {
		assertThat(TrackSearch.fold("Beyoncé")).isEqualTo("beyonce");
		assertThat(TrackSearch.fold("Röyksopp")).isEqualTo("royksopp");
		assertThat(TrackSearch.fold("MØ Æther Straße Łódź Þór")).isEqualTo("mo aether strasse lodz thor");
		assertThat(TrackSearch.fold("Sigur Rós")).isEqualTo("sigur ros");
	}

	@Test
	void everyLatinLetterFoldsAsTheFullDecompositionFoldsIt() {
		for (char c = 0; c < 0x250; c++) {
			String letter = String.valueOf(c);

			String tabled = TrackSearch.fold(letter);
			String decomposed = TrackSearch.fold(letter + UNTABLED);

			assertThat(tabled + UNTABLED).as("U+%04X", (int) c).isEqualTo(decomposed);
		}
	}

	@Test
	void combiningMarksTypedApartAreDroppedToo() {
		assertThat(TrackSearch.fold("Beyonce\u0301")).isEqualTo("beyonce");
	}

}
