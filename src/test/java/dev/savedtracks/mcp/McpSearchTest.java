package dev.savedtracks.mcp;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.Track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@code search_saved_tracks} counts as a match: words, artist and save dates,
 * whatever the case or accents.
 */
class McpSearchTest {

	private static final Track HALO = track("Halo", "2019-03-10T08:00:00Z", "I Am... Sasha Fierce", "Beyoncé");

	private static final Track EPLE = track("Eple", "2020-01-01T00:00:00Z", "Melody A.M.", "Røyksopp");

	private static final Track DUET = track("Islands in the Stream", "2018-12-31T23:59:59Z", "Eyes That See",
			"Kenny Rogers", "Dolly Parton");

	@Test
	void foldsCaseAccentsAndLettersThatDoNotDecompose() {
		assertThat(TrackSearch.fold("Beyoncé")).isEqualTo("beyonce");
		assertThat(TrackSearch.fold("RØYKSOPP")).isEqualTo("royksopp");
		assertThat(TrackSearch.fold("Straße Æther Łódź")).isEqualTo("strasse aether lodz");
		assertThat(TrackSearch.fold("Plain ASCII")).isEqualTo("plain ascii");
	}

	@Test
	void everyWordMustAppearInTheTitleAnArtistOrTheAlbum() {
		TrackSearch search = TrackSearch.of("dolly  ISLANDS eyes", null, null, null);

		assertThat(search.matches(DUET)).isTrue();
		assertThat(search.matches(HALO)).isFalse();
		assertThat(TrackSearch.of("beyonce fierce", null, null, null).matches(HALO)).isTrue();
		assertThat(TrackSearch.of("beyonce eple", null, null, null).matches(HALO)).isFalse();
	}

	@Test
	void aWordNeverMatchesAcrossTwoFields() {
		TrackSearch search = TrackSearch.of("halobeyonce", null, null, null);

		assertThat(search.matches(HALO)).isFalse();
	}

	@Test
	void theArtistFilterLooksAtArtistsOnly() {
		assertThat(TrackSearch.of(null, "ROYKSOPP", null, null).matches(EPLE)).isTrue();
		assertThat(TrackSearch.of(null, "dolly", null, null).matches(DUET)).isTrue();
		assertThat(TrackSearch.of(null, "eple", null, null).matches(EPLE)).isFalse();
	}

	@Test
	void savedDatesAreFromInclusiveAndBeforeExclusiveInUtc() {
		TrackSearch in2019 = TrackSearch.of(null, null, "2019", "2020-01-01");
		TrackSearch fromMarch2019 = TrackSearch.of(null, null, "2019-03", null);
		TrackSearch beforeAnInstant = TrackSearch.of(null, null, null, "2019-03-10T08:00:00Z");

		assertThat(List.of(HALO, EPLE, DUET)).filteredOn(in2019::matches).containsExactly(HALO);
		assertThat(List.of(HALO, EPLE, DUET)).filteredOn(fromMarch2019::matches).containsExactly(HALO, EPLE);
		assertThat(List.of(HALO, EPLE, DUET)).filteredOn(beforeAnInstant::matches).containsExactly(DUET);
	}

	@Test
	void noCriteriaMatchEveryTrackButADateFilterSkipsTracksWithoutADate() {
		Track undated = new Track("x", "Undated", null, null, null, null, null, List.of(), null, false);

		assertThat(TrackSearch.of(null, null, null, null).matches(undated)).isTrue();
		assertThat(TrackSearch.of("  ", "", null, null).matches(HALO)).isTrue();
		assertThat(TrackSearch.of(null, null, "2000", null).matches(undated)).isFalse();
	}

	@Test
	void aDateThatIsNoDateIsRefusedWithWhatToWrite() {
		for (String date : List.of("last summer", "2019-13-01", "19-01-01", "2019/01/01")) {
			assertThatExceptionOfType(TrackSearch.InvalidArguments.class).as(date)
				.isThrownBy(() -> TrackSearch.of(null, null, date, null))
				.withMessageContaining("addedAfter must be a date such as 2019-05-31");
		}
	}

	@Test
	void spotifysDatesAreReadAsTheGeneralParserReadsThem() {
		for (String date : List.of("2019-05-31T12:00:00Z", "2000-02-29T23:59:59Z", "2024-01-01T00:00:00.123Z",
				"2019-05-31T12:00:00+02:00")) {
			if (date.endsWith("Z")) {
				assertThat(TrackSearch.parse(date)).as(date).isEqualTo(java.time.Instant.parse(date));
			}
		}
		assertThatExceptionOfType(java.time.format.DateTimeParseException.class)
			.isThrownBy(() -> TrackSearch.parse("2019-13-31T12:00:00Z"));
	}

	static Track track(String name, String addedAt, String album, String... artists) {
		return new Track(name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), name, "spotify:track:" + name,
				addedAt, 200_000, false, null,
				java.util.Arrays.stream(artists).map(a -> new Track.ArtistRef("id-" + a, a)).toList(),
				new Track.AlbumRef("album-" + album, album, "2008-11-14", null), false);
	}

}
