package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each track's text is folded once per library version, kept with the library's parsed
 * copy, and compared as it was when every search folded every title and name.
 */
class SearchableTrackTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Caller ANN = new Caller("ann", "https://tracks.example/signin", "https://tracks.example");

	private static final Track DUET = track("Islands in the Stream", "Eyes That See", "Kenny Rogers", "Dolly Parton");

	private static final Track HALO = track("Halo", "I Am... Sasha Fierce", "Beyonce\u0301");

	private static final Track EPLE = track("Eple", "Melody A.M.", "Røyksopp");

	@Test
	void searchesAndStatisticsOfAnUnchangedLibraryFoldEachTrackOnce() {
		AtomicReference<String> version = new AtomicReference<>("v1");
		TestLibrary library = TestLibrary.reading((accountId, visitor) -> {
			List.of(DUET, HALO, EPLE).forEach(visitor);
			return new Library.Copy(3, 3, Instant.now(), null, version.get());
		});
		TrackListings listings = new TrackListings(library, json);
		LibraryOverview overview = new LibraryOverview(library, json);

		CallToolResult first = listings.search(ANN, Map.of("query", "royksopp"));
		CallToolResult sorted = listings.search(ANN, Map.of("artist", "r", "sort", "name"));
		overview.stats(ANN, Map.of("artist", "beyonce"));
		overview.artists(ANN, Map.of("album", "eyes"));

		assertThat(library.derivations()).as("each of the 3 tracks folded once").isEqualTo(3);
		assertThat(total(first)).isEqualTo(1);
		assertThat(total(sorted)).isEqualTo(2);

		version.set("v2");
		listings.search(ANN, Map.of("query", "halo"));

		assertThat(library.derivations()).as("a new version is folded anew").isEqualTo(6);
	}

	@Test
	void theTextIsTheTitleArtistsAndAlbumFoldedTogetherOneFieldApart() {
		for (Track track : List.of(DUET, HALO, EPLE, track("Straße", null, "MØ", null, "Sigur Rós"))) {
			StringBuilder text = new StringBuilder(track.name());
			track.artists()
				.forEach(artist -> text.append('\u0000').append((artist.name() != null) ? artist.name() : ""));
			if (track.album() != null) {
				text.append('\u0000').append(track.album().name());
			}

			assertThat(SearchableTrack.of(track).text()).isEqualTo(TextFolding.fold(text.toString()));
		}
	}

	@Test
	void anArtistOrAlbumFilterMatchesWithinOneOfItsNamesOnly() {
		assertThat(filter("rogers", null).matches(DUET)).isTrue();
		assertThat(filter("dolly", null).matches(DUET)).isTrue();
		assertThat(filter("eyes", null).matches(DUET)).as("the album is no artist").isFalse();
		assertThat(filter("islands", null).matches(DUET)).as("nor is the title").isFalse();
		assertThat(filter("rogers\u0000dolly", null).matches(DUET)).as("two names are not one").isFalse();
		assertThat(filter(null, "eyes").matches(DUET)).isTrue();
		assertThat(filter(null, "dolly").matches(DUET)).as("an artist is no album").isFalse();
		assertThat(filter(null, "eyes\u0000that").matches(DUET)).isFalse();
		assertThat(filter(null, "melody").matches(track("Eple", null, "Røyksopp"))).as("no album").isFalse();
		assertThat(filter("beyonce", null).matches(HALO)).isTrue();
	}

	private static TrackSearch filter(String artist, String album) {
		return TrackSearch.of(null, artist, null, null, album, null, null);
	}

	private static int total(CallToolResult result) {
		return ((Number) json.convertValue(result.structuredContent(), Map.class).get("total")).intValue();
	}

	private static Track track(String name, String album, String... artists) {
		return new Track(null, name, null, "2020-01-01T00:00:00Z", 1000, false, null,
				Arrays.stream(artists).map(artist -> new Track.ArtistRef(null, artist)).toList(),
				(album != null) ? new Track.AlbumRef(null, album, "2001-01-01", null) : null, false);
	}

}
