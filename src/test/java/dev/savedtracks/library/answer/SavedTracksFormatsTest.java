package dev.savedtracks.library.answer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.Album;
import dev.savedtracks.emulator.Artist;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP semantics for callers (ETag, 304, Last-Modified, Cache-Control, gzip) and the CSV
 * and NDJSON formats.
 */
class SavedTracksFormatsTest extends EmulatedSpotifyTest {

	@Autowired
	private AnswerFiles answerFiles;

	@Test
	void etagRoundTripAnswers304WithoutBodyUntilTheLibraryChanges() {
		EmulatedUser user = newUser(80);
		BrowserSession browser = signedIn(user);
		HttpResponse<String> first = browser.api("/api/saved-tracks");
		String etag = first.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> again = send(browser, "/api/saved-tracks", "application/json", "If-None-Match", etag);
		user.saveNewTracks(1);
		HttpResponse<String> afterChange = send(browser, "/api/saved-tracks?refresh=true", "application/json",
				"If-None-Match", etag);

		assertThat(etag).startsWith("W/\"");
		assertThat(first.headers().firstValue("Last-Modified")).isPresent();
		assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("private").contains("no-cache");
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.headers().firstValue("ETag")).hasValue(etag);
		assertThat(afterChange.statusCode()).isEqualTo(200);
		assertThat(afterChange.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
	}

	@Test
	void etagDiffersPerWindowAndFormatAndStaysWhenNothingChanged() {
		BrowserSession browser = signedIn(newUser(60));
		String all = browser.api("/api/saved-tracks").headers().firstValue("ETag").orElseThrow();

		String window = browser.api("/api/saved-tracks?limit=10").headers().firstValue("ETag").orElseThrow();
		String csv = browser.get("/api/saved-tracks", "text/csv").headers().firstValue("ETag").orElseThrow();
		String revalidated = browser.api("/api/saved-tracks?refresh=true").headers().firstValue("ETag").orElseThrow();

		assertThat(List.of(window, csv)).doesNotContain(all).doesNotHaveDuplicates();
		assertThat(revalidated).isEqualTo(all);
	}

	@Test
	void ifModifiedSinceTheLastSyncAnswers304() {
		BrowserSession browser = signedIn(newUser(10));
		String lastModified = browser.api("/api/saved-tracks").headers().firstValue("Last-Modified").orElseThrow();

		HttpResponse<String> response = send(browser, "/api/saved-tracks", "application/json", "If-Modified-Since",
				lastModified);

		assertThat(response.statusCode()).isEqualTo(304);
	}

	@Test
	void largeBodiesAreGzippedWhenTheCallerAcceptsIt() throws IOException {
		BrowserSession browser = signedIn(newUser(500));
		browser.api("/api/saved-tracks");
		HttpRequest request = HttpRequest.newBuilder(URI.create(appUrl() + "/api/saved-tracks"))
			.header("Accept", "application/json")
			.header("Accept-Encoding", "gzip")
			.header("Cookie", "SESSION=" + browser.cookie("SESSION").orElseThrow())
			.build();

		HttpResponse<byte[]> response = sendBytes(request);

		assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
		String body = new String(new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(),
				StandardCharsets.UTF_8);
		assertThat(json.readTree(body).get("items").size()).isEqualTo(500);
	}

	@Test
	void csvQuotesNamesWithCommasQuotesNewlinesAndKeepsNonAscii() {
		EmulatedUser user = newUser(0);
		user.saveTrack(SavedTrack.of("0000000000000000000001", "Plain", "Solo"));
		user.saveTrack(SavedTrack.of("0000000000000000000002", "Hello, \"World\"\nAgain", "Björk")
			.withArtists(List.of(Artist.named("Björk"), Artist.named("Sigur Rós, Band")))
			.withAlbum(new Album("0000000000000000000003", "Ágætis byrjun", null, null)));
		BrowserSession browser = signedIn(user);

		HttpResponse<String> response = browser.get("/api/saved-tracks", "text/csv");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
		String[] lines = response.body().split("\r\n", -1);
		assertThat(lines[0]).isEqualTo(CsvTracks.HEADER);
		assertThat(response.body()).contains("0000000000000000000002,\"Hello, \"\"World\"\"\nAgain\",spotify:track:")
			.contains(",\"Björk; Sigur Rós, Band\",")
			.contains(",Ágætis byrjun,0000000000000000000003,");
		assertThat(lines[lines.length - 2]).startsWith("0000000000000000000001,Plain,spotify:track:")
			.contains(",Solo,");
		assertThat(lines[lines.length - 1]).isEmpty();
	}

	@Test
	void csvHonoursTheWindow() {
		EmulatedUser user = newUser(30);
		BrowserSession browser = signedIn(user);

		HttpResponse<String> response = browser.get("/api/saved-tracks?offset=10&limit=5", "text/csv");

		List<String> rows = List.of(response.body().split("\r\n")).subList(1, 6);
		assertThat(rows).extracting(r -> r.substring(0, r.indexOf(',')))
			.containsExactlyElementsOf(user.library().subList(10, 15).stream().map(SavedTrack::id).toList());
	}

	@Test
	void ndjsonHasOneTrackPerLineAndAsManyLinesAsTotal() {
		EmulatedUser user = newUser(1234);
		BrowserSession browser = signedIn(user);

		HttpResponse<String> response = browser.get("/api/saved-tracks", "application/x-ndjson");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
		List<String> lines = response.body().lines().toList();
		assertThat(lines).hasSize(1234);
		assertThat(json.readTree(lines.get(0)).get("id").asString()).isEqualTo(user.library().get(0).id());
		assertThat(json.readTree(lines.get(1233)).get("id").asString()).isEqualTo(user.library().get(1233).id());
	}

	@Test
	void aLargeDownloadIsServedAgainFromDiskByteForByteUntilTheLibraryChangesAndIsDeletedWithTheData() {
		EmulatedUser user = newUser(1500);
		BrowserSession browser = signedIn(user);
		long keptBefore = this.answerFiles.bytes();

		HttpResponse<String> first = browser.get("/api/saved-tracks", "application/x-ndjson");
		long kept = this.answerFiles.bytes() - keptBefore;
		HttpResponse<String> again = browser.get("/api/saved-tracks", "application/x-ndjson");
		user.saveNewTracks(1);
		HttpResponse<String> changed = browser.get("/api/saved-tracks?refresh=true", "application/x-ndjson");

		assertThat(kept).isEqualTo(first.body().getBytes(StandardCharsets.UTF_8).length);
		assertThat(first.headers().firstValue("Content-Length")).isEmpty();
		assertThat(again.headers().firstValue("Content-Length")).hasValue(Long.toString(kept));
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(changed.body().lines()).hasSize(1501);
		assertThat(json.readTree(changed.body().lines().findFirst().orElseThrow()).get("id").asString())
			.isEqualTo(user.library().get(0).id());

		assertThat(browser.write("DELETE", "/api/me", "").statusCode()).isEqualTo(204);
		assertThat(this.answerFiles.bytes()).isEqualTo(keptBefore);
	}

	@Test
	void jsonIsTheDefaultAndUnknownFormatsAre406() {
		BrowserSession browser = signedIn(newUser(3));

		HttpResponse<String> any = browser.get("/api/saved-tracks", "*/*");
		HttpResponse<String> xml = browser.get("/api/saved-tracks", "application/xml");

		assertThat(any.statusCode()).isEqualTo(200);
		assertThat(any.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
		assertThat(xml.statusCode()).isEqualTo(406);
	}

	private HttpResponse<String> send(BrowserSession browser, String path, String accept, String... headers) {
		return browser.send(HttpRequest.newBuilder(URI.create(appUrl() + path))
			.header("Accept", accept)
			.headers(headers)
			.GET()
			.build());
	}

	private static HttpResponse<byte[]> sendBytes(HttpRequest request) {
		try {
			return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
