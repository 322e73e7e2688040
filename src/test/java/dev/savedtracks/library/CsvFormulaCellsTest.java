package dev.savedtracks.library;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV download opened in a spreadsheet runs no formula: local files carry whatever
 * title, artist and album their owner typed, and a cell starting with {@code =},
 * {@code +}, {@code -}, {@code @}, tab or CR is neutralised with a leading apostrophe.
 */
class CsvFormulaCellsTest extends EmulatedSpotifyTest {

	@Test
	void cellsThatASpreadsheetWouldRunAsFormulasAreNeutralised() {
		EmulatedUser user = newUser(1);
		user.saveTrack(SavedTrack.local("=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0",
				"@SUM(1+1)*cmd|' /C calc'!A0", 1000));
		user.saveTrack(SavedTrack.local("-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", 2000));
		BrowserSession browser = signedIn(user);

		HttpResponse<String> response = browser.get("/api/saved-tracks", "text/csv");

		assertThat(response.statusCode()).isEqualTo(200);
		List<List<String>> rows = parse(response.body());
		assertThat(rows).hasSize(4);
		List<String> header = rows.get(0);
		// Spotify's order: the last saved first.
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
