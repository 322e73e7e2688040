package dev.savedtracks.spotify.webapi;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SavedTracksPage.Item;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.webapi.PageValidation.Verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Which pages are trusted, asked for again, or refused as not Spotify's answer. */
class PageValidationTest {

	private static final String NEXT = "https://api.spotify.com/v1/me/tracks?offset=100&limit=50";

	static Stream<Arguments> trusted() {
		return Stream.of(Arguments.of("a full page", page(50, 120, 50, NEXT), false, Verdict.TRUSTED),
				Arguments.of("the last page", page(50, 70, 20, null), false, Verdict.TRUSTED),
				// Spotify leaves out tracks unavailable in the person's market.
				Arguments.of("a short page", page(50, 120, 37, NEXT), false, Verdict.TRUSTED),
				Arguments.of("an empty library", page(50, 0, 0, null), false, Verdict.TRUSTED),
				Arguments.of("a page that names no offset",
						new SavedTracksPage(null, items(3), 50, null, null, null, 3L), false, Verdict.TRUSTED),
				Arguments.of("an empty page that claims more", page(50, 150, 0, NEXT), false, Verdict.ASK_AGAIN),
				Arguments.of("the same, asked for again", page(50, 150, 0, NEXT), true, Verdict.TRUSTED),
				// next is never followed: an egress proxy gets links to Spotify's host.
				Arguments.of("a next link elsewhere", page(50, 120, 50, "https://elsewhere.example/v1/me/tracks"),
						false, Verdict.TRUSTED),
				Arguments.of("an empty page whose next link is elsewhere",
						page(50, 150, 0, "https://api.spotify.com:443/v1/me/tracks?offset=100"), false,
						Verdict.ASK_AGAIN));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("trusted")
	void pagesThatCanBeSpotifysAnswerAreTrustedOrAskedForAgain(String what, SavedTracksPage page, boolean askedAgain,
			Verdict verdict) {
		assertThat(PageValidation.check(page, 50, askedAgain)).isEqualTo(verdict);
	}

	static Stream<Arguments> refused() {
		return Stream.of(Arguments.of("no total", new SavedTracksPage(null, items(3), 50, null, 50, null, null)),
				Arguments.of("no items", new SavedTracksPage(null, null, 50, null, 50, null, 3L)),
				Arguments.of("a negative total", page(50, -1, 0, null)),
				Arguments.of("a total beyond any library", page(50, 1_000_001, 50, NEXT)),
				Arguments.of("more items than asked for", page(50, 120, 51, NEXT)),
				Arguments.of("another offset", page(0, 120, 50, NEXT)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refused")
	void pagesThatCannotBeSpotifysAnswerAreRefused(String what, SavedTracksPage page) {
		assertThatExceptionOfType(SpotifyProtocolViolation.class)
			.isThrownBy(() -> PageValidation.check(page, 50, false));
	}

	private static SavedTracksPage page(int offset, long total, int items, String next) {
		return new SavedTracksPage("x", items(items), 50, next, offset, null, total);
	}

	private static List<Item> items(int count) {
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			items.add(new Item("2024-05-01T10:00:00Z", null));
		}
		return items;
	}

}
