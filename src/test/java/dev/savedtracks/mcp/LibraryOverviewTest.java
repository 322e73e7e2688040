package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists of artists and albums stay under what clients accept, however long the names.
 */
class LibraryOverviewTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aListOfLongNamesIsCutShortUnderTheResultSizeAndGoesOnByCursor() {
		LibraryOverview overview = new LibraryOverview(TestLibrary.reading(LibraryOverviewTest::longNames), json);
		Caller caller = new Caller("ann", "https://tracks.example/signin", "https://tracks.example");

		CallToolResult result = overview.artists(caller, Map.of("limit", 1000));

		Map<?, ?> page = (Map<?, ?>) json.convertValue(result.structuredContent(), Map.class);
		int shown = ((List<?>) page.get("items")).size();
		String text = ((TextContent) result.content().get(0)).text();
		assertThat(shown).isBetween(100, 999);
		assertThat(text.length() + json.writeValueAsString(result.structuredContent()).length()).isLessThan(150_000);
		assertThat(page.get("nextOffset")).isEqualTo(shown);
		assertThat(page.get("nextCursor")).isNotNull();
	}

	/**
	 * A library of 3000 tracks, each by an artist of its own with a 200-character name.
	 */
	private static Library.Copy longNames(String accountId, Consumer<Track> visitor) {
		for (int i = 0; i < 3000; i++) {
			String artist = String.format("%04d", i) + "x".repeat(196);
			visitor.accept(new Track("t" + i, "Song " + i, "spotify:track:t" + i, "2020-01-01T00:00:00Z", 1000, false,
					null, List.of(new Track.ArtistRef("a" + i, artist)), null, false));
		}
		return new Library.Copy(3000, 3000, Instant.now(), null, "v1");
	}

}
