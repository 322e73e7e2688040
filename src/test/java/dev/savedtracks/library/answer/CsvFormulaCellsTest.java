package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.Track;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV download opened in a spreadsheet runs no formula: local files carry whatever
 * title, artist and album their owner typed, and a cell starting with {@code =},
 * {@code +}, {@code -}, {@code @}, tab or CR is neutralised with a leading apostrophe.
 * The whole CSV format, as a spreadsheet reads it back; no application needed.
 */
class CsvFormulaCellsTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void cellsThatASpreadsheetWouldRunAsFormulasAreNeutralised() throws IOException {
		List<String> library = List.of(local("-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"), local(
				"=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"));

		List<List<String>> rows = parse(csv(library));

		assertThat(rows).hasSize(3);
		List<String> header = rows.get(0);
		List<String> minus = rows.get(1);
		List<String> hyperlink = rows.get(2);
		assertThat(minus.get(header.indexOf("name"))).isEqualTo("'-2+3+cmd|' /C calc'!A0");
		assertThat(minus.get(header.indexOf("artists"))).isEqualTo("'\t=1+1");
		assertThat(minus.get(header.indexOf("album"))).isEqualTo("'\r=1+1");
		assertThat(hyperlink.get(header.indexOf("name"))).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
		assertThat(hyperlink.get(header.indexOf("artists"))).isEqualTo("'+cmd|' /C calc'!A0");
		assertThat(hyperlink.get(header.indexOf("album"))).isEqualTo("'@SUM(1+1)*cmd|' /C calc'!A0");
		assertThat(rows.subList(1, rows.size())).allSatisfy(
				row -> assertThat(row).noneMatch(cell -> !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0));
	}

	/** A local file as Spotify lists it: no id, the names its owner typed. */
	private String local(String name, String artist, String album) {
		return this.json.writeValueAsString(
				new Track(null, name, "spotify:local:::" + name.length(), "2026-11-27T10:00:00Z", 1000, false, null,
						List.of(new Track.ArtistRef(null, artist)), new Track.AlbumRef(null, album, null, null), true));
	}

	private String csv(List<String> rows) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new CsvTracks(this.json).write(
				LibraryFixtures.open("alice", LibraryFixtures.copy(0, rows.size()), 0, rows.size()),
				LibraryFixtures.rows(rows, Rows.CHUNK), out);
		return out.toString(StandardCharsets.UTF_8);
	}

	/**
	 * RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, doubled quotes,
	 * CR and LF.
	 */
	private static List<List<String>> parse(String csv) {
		List<List<String>> rows = new ArrayList<>();
		List<String> row = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < csv.length(); i++) {
			char c = csv.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				row.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
				row.add(field.toString());
				field.setLength(0);
				rows.add(row);
				row = new ArrayList<>();
				i++;
			}
			else {
				field.append(c);
			}
		}
		return rows;
	}

}
