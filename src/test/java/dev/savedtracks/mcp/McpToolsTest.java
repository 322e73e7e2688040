package dev.savedtracks.mcp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.Album;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static dev.savedtracks.mcp.Agents.call;
import static dev.savedtracks.mcp.Agents.structured;
import static dev.savedtracks.mcp.Agents.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tools that answer what people ask: filters and sorting, statistics of a part of the
 * library, artists and albums with counts, cursors bound to the copy read, answers sized
 * for clients, and fields everywhere.
 */
class McpToolsTest extends EmulatedSpotifyTest {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final Album QUILL_SONGS = new Album("5mcpToolsQuillSongs0000", "Quill Songs", "1994-03-01", null);

	@Test
	void searchFiltersByAlbumReleaseDecadeAndExplicitnessAndSorts() {
		EmulatedUser user = quillFan();

		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(user)))) {

			assertThat(names(search(agent, Map.of("album", "ete indien")))).containsExactly("Crème Brûlée");
			assertThat(names(search(agent, Map.of("artist", "zed quill", "explicit", true)))).containsExactly("Beta");
			assertThat(names(search(agent, Map.of("artist", "zed quill", "releaseDecade", 1990)))).hasSize(3);
			assertThat(names(search(agent, Map.of("artist", "zed quill", "releaseDecade", 1980)))).isEmpty();
			assertThat(names(search(agent, Map.of("artist", "zed quill", "sort", "name")))).containsExactly("Alpha",
					"Beta", "Gamma");
			assertThat(names(search(agent, Map.of("artist", "zed quill", "sort", "savedAt", "order", "asc"))))
				.containsExactly("Gamma", "Alpha", "Beta");
			CallToolResult notADecade = call(agent, "search_saved_tracks", Map.of("releaseDecade", 1995));
			assertThat(notADecade.isError()).isTrue();
			assertThat(text(notADecade)).contains("releaseDecade must be the first year of a decade");
		}
	}

	@Test
	void statsTakeTheSameFiltersAndCountAlbumsMonthsAndDecades() {
		EmulatedUser user = quillFan();

		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(user)))) {
			CallToolResult result = call(agent, "library_stats",
					Map.of("artist", "zed quill", "savedPer", "month", "fields", List.of("name")));

			JsonNode stats = structured(result);
			assertThat(stats.get("total").asInt()).isEqualTo(3);
			assertThat(stats.get("libraryTotal").asInt()).isEqualTo(user.library().size());
			assertThat(stats.get("topAlbums").get(0).get("name").asString()).isEqualTo("Quill Songs");
			assertThat(stats.get("topAlbums").get(0).get("count").asInt()).isEqualTo(3);
			assertThat(stats.get("releaseDecades").get("1990s").asInt()).isEqualTo(3);
			assertThat(stats.get("savedPerMonth").get("2018-02").asInt()).isEqualTo(1);
			assertThat(stats.get("newest").propertyNames()).containsExactly("name");
			assertThat(stats.get("newest").get("name").asString()).isEqualTo("Beta");
			assertThat(text(result)).startsWith("3 saved tracks (by an artist named like \"zed quill\"")
				.contains("Most saved albums: Quill Songs by Zed Quill (3)")
				.contains("Release decades: 1990s: 3");
		}
	}

	@Test
	void artistsAndAlbumsAreListedWithCountsAndPagedByCursor() {
		EmulatedUser user = quillFan();

		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(user)))) {
			JsonNode artists = structured(call(agent, "list_saved_artists", Map.of("query", "quill")));
			JsonNode firstAlbums = structured(call(agent, "list_saved_albums", Map.of("limit", 5)));
			List<String> albums = new ArrayList<>(names(firstAlbums));
			JsonNode page = firstAlbums;
			while (!page.get("nextCursor").isNull()) {
				page = structured(call(agent, "list_saved_albums",
						Map.of("limit", 5, "cursor", page.get("nextCursor").asString())));
				albums.addAll(names(page));
			}

			assertThat(artists.get("items").get(0).get("name").asString()).isEqualTo("Zed Quill");
			assertThat(artists.get("items").get(0).get("count").asInt()).isEqualTo(3);
			JsonNode all = structured(call(agent, "list_saved_albums", Map.of("limit", 1000)));
			assertThat(albums).hasSize(firstAlbums.get("total").asInt()).containsExactlyElementsOf(names(all));
			assertThat(albums.get(0)).isEqualTo("Quill Songs");
		}
	}

	@Test
	void aCursorReadsOneCopyAndRefusesToGoOnWhenTheLibraryChanged() {
		EmulatedUser user = newUser(120);
		List<String> expected = user.library().stream().map(SavedTrack::id).toList();

		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(user)))) {
			List<String> seen = new ArrayList<>();
			JsonNode page = structured(call(agent, "get_saved_tracks", Map.of("limit", 50)));
			seen.addAll(ids(page));
			while (!page.get("nextCursor").isNull()) {
				page = structured(call(agent, "get_saved_tracks",
						Map.of("limit", 50, "cursor", page.get("nextCursor").asString())));
				seen.addAll(ids(page));
			}
			assertThat(seen).containsExactlyElementsOf(expected);

			String cursor = structured(call(agent, "get_saved_tracks", Map.of("limit", 50))).get("nextCursor")
				.asString();
			user.saveTrack(SavedTrack.of("6mcpToolsNewOnTop00000", "New on top", "Someone"));
			this.jdbc.sql("update library set checked_at = timestamp '2020-01-01 00:00:00' where account_id = ?")
				.param(user.id())
				.update();
			CallToolResult changed = call(agent, "get_saved_tracks", Map.of("limit", 50, "cursor", cursor));
			CallToolResult otherQuestion = call(agent, "search_saved_tracks", Map.of("query", "x", "cursor", cursor));

			assertThat(changed.isError()).isTrue();
			assertThat(text(changed)).contains("The library changed since this listing began").contains("stale-cursor");
			assertThat(otherQuestion.isError()).isTrue();
			assertThat(text(otherQuestion)).contains("cursor belongs to another listing");
		}
	}

	@Test
	void aResultStaysUnderWhatClientsAcceptCountingItsStructuredContent() {
		EmulatedUser user = newUser(600);

		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(user)))) {
			CallToolResult result = call(agent, "get_saved_tracks", Map.of("limit", 500));
			CallToolResult narrow = call(agent, "get_saved_tracks", Map.of("limit", 500, "fields", List.of("uri")));

			JsonNode page = structured(result);
			int shown = page.get("items").size();
			assertThat(shown).isBetween(50, 499);
			assertThat(page.get("nextOffset").asInt()).isEqualTo(shown);
			assertThat(text(result).length() + mapper.writeValueAsString(result.structuredContent()).length())
				.isLessThan(150_000);
			assertThat(text(result)).contains("Only " + shown + " tracks fit in one answer");
			assertThat(structured(narrow).get("items")).hasSize(500);
		}
	}

	@Test
	void exportGivesAShortLivedLinkThatDownloadsTheLibraryWithoutACredential() throws Exception {
		EmulatedUser user = newUser(140);
		BrowserSession browser = signedIn(user);
		String csv = browser.get("/api/saved-tracks", "text/csv").body();
		HttpClient anyone = HttpClient.newHttpClient();

		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(browser))) {
			CallToolResult result = call(agent, "export_library", Map.of());
			JsonNode export = structured(result);
			String url = export.get("url").asString();

			HttpResponse<String> download = anyone.send(HttpRequest.newBuilder(URI.create(url)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(url).startsWith(appUrl() + "/downloads/");
			assertThat(text(result)).contains(url).contains("140 tracks").contains("give it only to the person");
			assertThat(download.statusCode()).isEqualTo(200);
			assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
			assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment")
				.contains("saved-tracks.csv");
			assertThat(download.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
			assertThat(download.headers().firstValue("Set-Cookie")).isEmpty();
			assertThat(download.body()).isEqualTo(csv);

			this.jdbc.sql("update download_link set expires_at = timestamp '2020-01-01 00:00:00'").update();
			HttpResponse<String> expired = anyone.send(HttpRequest.newBuilder(URI.create(url)).build(),
					HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> forged = anyone.send(
					HttpRequest.newBuilder(URI.create(appUrl() + "/downloads/" + "A".repeat(43))).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(List.of(expired, forged)).allSatisfy(response -> {
				assertThat(response.statusCode()).isEqualTo(404);
				assertThat(response.body()).contains("download-link-expired").doesNotContain(user.id());
			});
		}
	}

	@Test
	void theCsvResourceOfALibraryTooLargeToHoldIsADownloadLink() {
		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(newUser(1100))))) {

			TextResourceContents first = (TextResourceContents) agent
				.readResource(ReadResourceRequest.builder(LibraryTools.CSV_URI).build())
				.contents()
				.get(0);
			TextResourceContents cached = (TextResourceContents) agent
				.readResource(ReadResourceRequest.builder(LibraryTools.CSV_URI).build())
				.contents()
				.get(0);

			assertThat(List.of(first, cached)).allSatisfy(answer -> {
				assertThat(answer.mimeType()).isEqualTo("text/plain");
				assertThat(answer.text()).contains("too large to read here").contains(appUrl() + "/downloads/");
			});
			assertThat(cached.text()).as("once cached, its size is known before reading").contains("holds 1100 tracks");
		}
	}

	@Test
	void promptsForCommonQuestionsNameTheToolsAndEverythingHasAnIcon() {
		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(signedIn(newUser(3))))) {

			List<Prompt> prompts = agent.listPrompts().prompts();
			GetPromptResult year = agent.getPrompt(new GetPromptRequest("saved_in_year", Map.of("year", "2019")));
			GetPromptResult artist = agent
				.getPrompt(new GetPromptRequest("find_by_artist", Map.of("artist", "Nora\nVale")));

			assertThat(prompts).extracting(Prompt::name)
				.containsExactlyInAnyOrder("saved_in_year", "top_artists", "find_by_artist", "export_library");
			assertThat(((TextContent) year.messages().get(0).content()).text())
				.contains("library_stats with addedAfter 2019 and addedBefore 2020");
			assertThat(((TextContent) artist.messages().get(0).content()).text())
				.contains("search_saved_tracks with artist \"Nora Vale\"");
			assertThat(agent.getServerInfo().icons()).singleElement()
				.satisfies(icon -> assertThat(icon.src()).startsWith("data:image/svg+xml;base64,"));
			assertThat(agent.listTools().tools()).allSatisfy(tool -> assertThat(tool.icons()).hasSize(1));
		}
	}

	@Test
	void deletingMyDataDeletesMyDownloadLinks() throws Exception {
		BrowserSession browser = signedIn(newUser(5));
		String url;
		try (McpSyncClient agent = Agents.connect(appUrl(), Agents.createKey(browser))) {
			url = structured(call(agent, "export_library", Map.of("format", "ndjson"))).get("url").asString();
		}

		assertThat(browser.write("DELETE", "/api/me", "").statusCode()).isEqualTo(204);

		HttpResponse<String> after = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(after.statusCode()).isEqualTo(404);
	}

	/**
	 * A library with three tracks of Zed Quill on one album of 1994 (one explicit), saved
	 * at known times, and one on an album of 1975.
	 */
	private EmulatedUser quillFan() {
		EmulatedUser user = newUser(30);
		user.saveTrack(SavedTrack.of("7mcpToolsGamma000000000", "Gamma", "Zed Quill")
			.withAlbum(QUILL_SONGS)
			.withAddedAt(Instant.parse("2017-05-01T00:00:00Z")));
		user.saveTrack(SavedTrack.of("8mcpToolsAlpha000000000", "Alpha", "Zed Quill")
			.withAlbum(QUILL_SONGS)
			.withAddedAt(Instant.parse("2018-02-01T00:00:00Z")));
		user.saveTrack(SavedTrack.of("9mcpToolsCreme000000000", "Crème Brûlée", "Los Jóvenes")
			.withAlbum(new Album("0mcpToolsAlbumEte000000", "Été Indien", "1975-06-01", null)));
		user.saveTrack(SavedTrack.of("1mcpToolsBeta0000000000", "Beta", "Zed Quill")
			.withAlbum(QUILL_SONGS)
			.withExplicit(true));
		return user;
	}

	private static JsonNode search(McpSyncClient agent, Map<String, Object> arguments) {
		return structured(call(agent, "search_saved_tracks", arguments));
	}

	private static List<String> names(JsonNode page) {
		return page.get("items").valueStream().map(item -> item.get("name").asString()).toList();
	}

}
