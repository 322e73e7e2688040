package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.Track;

import static dev.savedtracks.library.LibraryFixtures.SYNCED;
import static dev.savedtracks.library.LibraryFixtures.head;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 4180 CSV in Track's field order, with cells a spreadsheet would run as formulas
 * neutralised.
 */
class CsvTracksTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void headerFollowsTheTracksFieldsWithArtistsAndAlbumSpelledOut() {
		List<String> columns = new ArrayList<>();
		for (RecordComponent field : Track.class.getRecordComponents()) {
			columns.addAll(switch (field.getName()) {
				case "artists" -> parts(Track.ArtistRef.class, "artist", "s");
				case "album" -> albumParts();
				default -> List.of(field.getName());
			});
		}

		assertThat(CsvTracks.HEADER.split(",")).containsExactlyElementsOf(columns);
		assertThat(CsvTracks.HEADER).isEqualTo("id,name,uri,addedAt,durationMs,explicit,discNumber,trackNumber,isrc,"
				+ "artists,artistIds,album,albumId,albumReleaseDate,albumImageUrl,albumReleaseDatePrecision,albumType,"
				+ "albumTotalTracks,albumArtists,albumArtistIds,local");
	}

	@Test
	void eachValueIsInItsColumn() throws IOException {
		Track track = new Track("id1", "Name", "spotify:track:id1", "2024-05-01T10:00:00Z", 215000, true, 1, 7, "ISRC1",
				List.of(new Track.ArtistRef("a1", "First"), new Track.ArtistRef("a2", "Second")),
				new Track.AlbumRef("al", "Album", "2017-06-02", "https://i.scdn.co/image/x", "day", "compilation", 12,
						List.of(new Track.ArtistRef("va", "Various Artists"))),
				false);

		String line = row(track);

		assertThat(line).isEqualTo("id1,Name,spotify:track:id1,2024-05-01T10:00:00Z,215000,true,1,7,ISRC1,"
				+ "First; Second,a1; a2,Album,al,2017-06-02,https://i.scdn.co/image/x,day,compilation,12,"
				+ "Various Artists,va,false\r\n");
		assertThat(line.split(",")).hasSameSizeAs(CsvTracks.HEADER.split(","));
	}

	@Test
	void missingValuesAreEmptyCells() throws IOException {
		Track track = new Track(null, null, null, null, null, null, null, List.of(), null, true);

		assertThat(row(track)).isEqualTo(",".repeat(20) + "true\r\n");
	}

	@Test
	void artistsWithoutAnIdKeepTheirPlace() throws IOException {
		Track track = new Track(null, "Local", null, null, null, null, null,
				List.of(new Track.ArtistRef(null, "Me"), new Track.ArtistRef("a2", null)), null, true);

		assertThat(row(track)).contains(",Me; ,; a2,");
	}

	@Test
	void fieldsWithCommasQuotesOrLineBreaksAreQuoted() {
		assertThat(CsvTracks.escape("Hello, World")).isEqualTo("\"Hello, World\"");
		assertThat(CsvTracks.escape("12\" Mix")).isEqualTo("\"12\"\" Mix\"");
		assertThat(CsvTracks.escape("two\nlines")).isEqualTo("\"two\nlines\"");
		assertThat(CsvTracks.escape("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
		assertThat(CsvTracks.escape("plain ünïcødé")).isEqualTo("plain ünïcødé");
		assertThat(CsvTracks.escape(null)).isEmpty();
		assertThat(CsvTracks.escape("")).isEmpty();
	}

	@Test
	void cellsASpreadsheetWouldRunAsFormulasGetALeadingApostropheAndAreQuoted() {
		for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")) {
			assertThat(CsvTracks.escape(formula)).as("%s", formula).isEqualTo("\"'" + formula + "\"");
		}
		assertThat(CsvTracks.escape("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
	}

	@Test
	void formulaCharactersInsideACellAreLeftAlone() {
		assertThat(CsvTracks.escape("a=b")).isEqualTo("a=b");
		assertThat(CsvTracks.escape("Jay-Z")).isEqualTo("Jay-Z");
	}

	@Test
	void cellStartingWithAnApostropheIsQuotedSoItKeepsIt() {
		assertThat(CsvTracks.escape("'Round Midnight")).isEqualTo("\"'Round Midnight\"");
	}

	@Test
	void titleOfALocalFileCannotRunAsAFormula() throws IOException {
		Track track = new Track(null, "=cmd|'/C calc'!A0", "spotify:local:x", null, null, null, null,
				List.of(new Track.ArtistRef(null, "@me")), null, true);

		assertThat(row(track)).startsWith(",\"'=cmd|'/C calc'!A0\",spotify:local:x,,,,,,,\"'@me\",,");
	}

	@Test
	void downloadIsTheHeaderThenOneLinePerTrackAcrossChunks() throws IOException {
		List<String> rows = List.of(track("a"), track("b"), track("c"));
		OpenLibrary library = LibraryFixtures.open("alice", head(3, 1, SYNCED), 0, 3);
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		new CsvTracks(this.json).write(library, LibraryFixtures.rows(rows, 2), out);

		assertThat(out.toString(StandardCharsets.UTF_8).split("\r\n", -1)).containsExactly(CsvTracks.HEADER,
				"a,Track a" + ",".repeat(19) + "false", "b,Track b" + ",".repeat(19) + "false",
				"c,Track c" + ",".repeat(19) + "false", "");
	}

	private String track(String id) {
		return this.json
			.writeValueAsString(new Track(id, "Track " + id, null, null, null, null, null, List.of(), null, false));
	}

	private static String row(Track track) throws IOException {
		StringWriter out = new StringWriter();
		CsvTracks.row(out, track);
		return out.toString();
	}

	/** The album's columns: its parts, then its artists' names and ids. */
	private static List<String> albumParts() {
		List<String> columns = new ArrayList<>(parts(Track.AlbumRef.class, "album", ""));
		columns.remove("albumArtists");
		columns.addAll(List.of("albumArtists", "albumArtistIds"));
		return columns;
	}

	/**
	 * The columns of a record inside a track: its name in the column named after the
	 * field, every other part in a column named after the part ({@code album} +
	 * {@code Id}), plural when the field is a list.
	 */
	private static List<String> parts(Class<? extends Record> type, String singular, String plural) {
		List<String> names = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
		List<String> columns = new ArrayList<>();
		columns.add(singular + plural);
		for (String name : names) {
			if (!name.equals("name")) {
				columns.add(singular + Character.toUpperCase(name.charAt(0)) + name.substring(1) + plural);
			}
		}
		return columns;
	}

}
