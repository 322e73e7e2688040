package dev.savedtracks.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Download CSV / JSON / NDJSON": one click saves the whole library, named after the
 * person and the date.
 */
class DownloadsBrowserTest extends EmulatedSpotifyTest {

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

	@Test
	void downloadsTheWholeLibraryInEachFormatNamedAfterThePersonAndTheDate() throws IOException {
		EmulatedUser user = newUser(120).displayName("Zoë D'Angelo");
		user.saveTrack(SavedTrack.of("zzzzzzzzzzzzzzzzzzzzz2", "Comma, \"Quote\" Song", "Ünïcödé Artist"));
		this.chromium.signInAs(user.id());

		Path csv = download("download-csv", ".csv");
		Path jsonFile = download("download-json", ".json");
		Path ndjson = download("download-ndjson", ".ndjson");

		String stem = "saved-tracks-zoë-d-angelo-";
		for (Path file : List.of(csv, jsonFile, ndjson)) {
			String name = file.getFileName().toString();
			assertThat(name).startsWith(stem);
			LocalDate day = LocalDate.parse(name.substring(stem.length(), stem.length() + 10));
			assertThat(day).isBetween(LocalDate.now().minusDays(1), LocalDate.now().plusDays(1));
		}
		List<String> csvLines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		assertThat(csvLines.get(0)).startsWith("id,name,uri,addedAt");
		assertThat(csvLines.get(1)).startsWith("zzzzzzzzzzzzzzzzzzzzz2,\"Comma, \"\"Quote\"\" Song\",spotify:track:")
			.contains(",Ünïcödé Artist,");
		assertThat(csvLines).hasSize(122);
		JsonNode body = json.readTree(Files.readString(jsonFile));
		assertThat(body.get("total").asInt()).isEqualTo(121);
		assertThat(body.get("items")).hasSize(121);
		assertThat(Files.readAllLines(ndjson)).hasSize(121)
			.allSatisfy((line) -> assertThat(json.readTree(line).has("addedAt")).isTrue());
		assertThat(this.chromium.text("download-status")).startsWith("Saved " + ndjson.getFileName() + " (");
		this.chromium.screenshot("downloaded");
	}

	@Test
	void aFailedDownloadSaysWhyInASentence() {
		EmulatedUser user = newUser(10);
		this.chromium.signInAs(user.id());
		// Signed out elsewhere (another tab): the session is gone, so the API answers
		// 401.
		this.chromium.browser().manage().deleteCookieNamed("SESSION");

		this.chromium.browser().findElement(By.id("download-csv")).click();

		this.chromium.waiting()
			.until(d -> this.chromium.text("download-status").startsWith("The download did not work"));
		assertThat(this.chromium.text("download-status")).contains("Sign in with Spotify");
		assertThat(listFiles()).isEmpty();
	}

	/**
	 * Clicks the button and waits for the one new file with that extension to be
	 * complete.
	 */
	private Path download(String button, String extension) {
		this.chromium.browser().findElement(By.id(button)).click();
		this.chromium.waiting().until(d -> find(extension).isPresent());
		return find(extension).orElseThrow();
	}

	private Optional<Path> find(String extension) {
		return listFiles().stream().filter((file) -> file.getFileName().toString().endsWith(extension)).findFirst();
	}

	private List<Path> listFiles() {
		try (Stream<Path> files = Files.list(this.chromium.downloads())) {
			return files.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
