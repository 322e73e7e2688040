package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.Track;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code library_stats}: counted in one pass over the library, most recently saved first.
 */
class McpStatsTest {

	private static final Instant SYNCED = Instant.parse("2026-11-24T10:00:00Z");

	@Test
	void countsArtistsAndYearsAndKnowsTheNewestAndOldest() {
		List<Track> library = List.of(track("d", "2021-05-01T00:00:00Z", "Nora Vale", "Kai Brennan"),
				track("c", "2020-02-01T00:00:00Z", "Kai Brennan"), track("b", "2020-01-01T00:00:00Z", "Mira Sol"),
				track("a", "2019-07-01T00:00:00Z", "Kai Brennan", "Mira Sol"));
		LibraryStats stats = new LibraryStats();

		library.forEach(stats);
		LibraryStats.Result result = stats.result(new Library.Copy(4, 4, SYNCED, null), 2);

		assertThat(result.total()).isEqualTo(4);
		assertThat(result.lastSyncedAt()).isEqualTo(SYNCED);
		assertThat(result.stale()).isNull();
		assertThat(result.topArtists()).containsExactly(new LibraryStats.TopArtist("Kai Brennan", 3),
				new LibraryStats.TopArtist("Mira Sol", 2));
		assertThat(result.savedPerYear()).containsExactly(Map.entry("2019", 1), Map.entry("2020", 2),
				Map.entry("2021", 1));
		assertThat(result.newest().id()).isEqualTo("d");
		assertThat(result.oldest().id()).isEqualTo("a");
	}

	@Test
	void anArtistCreditedTwiceOnATrackCountsOnceAndTiesGoByName() {
		LibraryStats stats = new LibraryStats();

		stats.accept(track("a", "2020-01-01T00:00:00Z", "Zed", "Zed", "Abba"));
		LibraryStats.Result result = stats.result(new Library.Copy(1, 1, SYNCED, null), 10);

		assertThat(result.topArtists()).containsExactly(new LibraryStats.TopArtist("Abba", 1),
				new LibraryStats.TopArtist("Zed", 1));
	}

	@Test
	void theTopAlbumsAreTheFirstOfTheWholeRankingTiesIncluded() {
		LibraryStats stats = new LibraryStats();
		for (int i = 0; i < 300; i++) {
			// 30 albums named alike, by different artists: equal counts and names.
			Track.AlbumRef album = new Track.AlbumRef("album" + (i % 30), "Greatest Hits " + (i % 3), "2001", null);
			stats.accept(new Track("t" + i, "Song " + i, null, "2020-01-01T00:00:00Z", 1000, false, null,
					List.of(new Track.ArtistRef("artist" + (i % 30), "Artist " + (i % 30))), album, false));
		}
		stats.accept(track("x", "2020-01-01T00:00:00Z", "Solo"));

		LibraryStats.Result result = stats.result(new Library.Copy(301, 301, SYNCED, null), 7);

		assertThat(result.topAlbums()).containsExactlyElementsOf(stats.albums().subList(0, 7));
		assertThat(result.topArtists()).containsExactlyElementsOf(stats.artists().subList(0, 7));
		assertThat(result.topAlbums()).extracting(LibraryStats.TopAlbum::name)
			.containsExactly("Greatest Hits 0", "Greatest Hits 0", "Greatest Hits 0", "Greatest Hits 0",
					"Greatest Hits 0", "Greatest Hits 0", "Greatest Hits 0");
	}

	@Test
	void artistsWithoutAnIdAreToldApartByName() {
		LibraryStats stats = new LibraryStats();
		Track local = new Track(null, "Demo", "spotify:local:x", "2020-01-01T00:00:00Z", 1000, false, null,
				List.of(new Track.ArtistRef(null, "Garage Band"), new Track.ArtistRef(null, null)), null, true);

		stats.accept(local);
		stats.accept(local);
		LibraryStats.Result result = stats.result(new Library.Copy(2, 2, SYNCED, null), 10);

		assertThat(result.topArtists()).containsExactly(new LibraryStats.TopArtist("Garage Band", 2));
	}

	@Test
	void anEmptyLibraryHasNoNewestNorOldestAndAStaleCopySaysWhy() {
		LibraryStats stats = new LibraryStats();

		LibraryStats.Result result = stats.result(new Library.Copy(0, 0, SYNCED, StaleReason.SPOTIFY_RATE_LIMITED), 10);

		assertThat(result.newest()).isNull();
		assertThat(result.oldest()).isNull();
		assertThat(result.topArtists()).isEmpty();
		assertThat(result.savedPerYear()).isEmpty();
		assertThat(result.stale()).isEqualTo("spotify-rate-limited");
	}

	private static Track track(String id, String addedAt, String... artists) {
		return new Track(id, "Track " + id, "spotify:track:" + id, addedAt, 200_000, false, null,
				java.util.Arrays.stream(artists).map(a -> new Track.ArtistRef("id-" + a, a)).toList(), null, false);
	}

}
