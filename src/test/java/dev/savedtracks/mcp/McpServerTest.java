package dev.savedtracks.mcp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.Album;
import dev.savedtracks.emulator.Artist;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.emulator.SavedTrack;

import static dev.savedtracks.mcp.Agents.call;
import static dev.savedtracks.mcp.Agents.structured;
import static dev.savedtracks.mcp.Agents.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP tools end to end, as an agent uses them: the SDK's own client with the person's
 * API key, against the whole application and the Spotify emulator.
 */
class McpServerTest extends EmulatedSpotifyTest {

	@Test
	void listsReadOnlyToolsWithSchemasAndTheLibraryAsCsv() {
		try (McpSyncClient agent = agentOf(newUser(3))) {

			List<Tool> tools = agent.listTools().tools();
			List<Resource> resources = agent.listResources().resources();

			assertThat(tools).extracting(Tool::name)
				.containsExactlyInAnyOrder("get_saved_tracks", "search_saved_tracks", "library_stats",
						"list_saved_artists", "list_saved_albums", "export_library");
			assertThat(tools).allSatisfy(tool -> {
				assertThat(tool.annotations().readOnlyHint()).as(tool.name())
					.isEqualTo(!tool.name().equals("export_library"));
				assertThat(tool.annotations().destructiveHint()).isFalse();
				assertThat(tool.annotations().openWorldHint()).isFalse();
				assertThat(tool.description()).isNotBlank();
				assertThat(tool.inputSchema()).containsEntry("type", "object");
				assertThat(tool.outputSchema()).containsEntry("type", "object").containsKey("properties");
			});
			assertThat(resources).singleElement().satisfies(resource -> {
				assertThat(resource.uri()).isEqualTo("saved-tracks://library.csv");
				assertThat(resource.mimeType()).isEqualTo("text/csv");
			});
		}
	}

	@Test
	void pagesThroughTheWholeLibraryInSpotifysOrder() {
		EmulatedUser user = newUser(230);
		List<String> seen = new ArrayList<>();

		try (McpSyncClient agent = agentOf(user)) {
			Integer offset = 0;
			while (offset != null) {
				JsonNode page = structured(call(agent, "get_saved_tracks", Map.of("offset", offset, "limit", 100)));
				assertThat(page.get("total").asInt()).isEqualTo(230);
				assertThat(page.get("offset").asInt()).isEqualTo(offset);
				seen.addAll(ids(page));
				offset = page.get("nextOffset").isNull() ? null : page.get("nextOffset").asInt();
			}
		}

		assertThat(seen).containsExactlyElementsOf(ids(user.library()));
	}

	@Test
	void servesTheSameTrackObjectsAsTheHttpApiWithATextRendering() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		JsonNode api = read(browser.api("/api/saved-tracks?offset=50&limit=50"));

		try (McpSyncClient agent = agentOf(browser)) {
			CallToolResult result = call(agent, "get_saved_tracks", Map.of("offset", 50));

			JsonNode page = structured(result);
			assertThat(page.get("items")).isEqualTo(api.get("items"));
			assertThat(page.get("nextOffset").asInt()).isEqualTo(100);
			assertThat(page.get("syncedAt").asString()).isEqualTo(api.get("syncedAt").asString());
			assertThat(page.get("stale").isNull()).isTrue();
			SavedTrack fifty = user.library().get(50);
			assertThat(text(result)).startsWith("Saved tracks 51-100 of 120")
				.contains("51. " + fifty.name() + " — " + fifty.artists().get(0).name())
				.contains("spotify:track:" + fifty.id())
				.contains("offset 100");
		}
	}

	@Test
	void fieldsNarrowEveryTrackAndTheLastPageHasNoNextOffset() {
		try (McpSyncClient agent = agentOf(newUser(60))) {

			JsonNode page = structured(call(agent, "get_saved_tracks",
					Map.of("offset", 40, "fields", List.of("trackNumber", "name", "uri"))));

			assertThat(page.get("items")).hasSize(20);
			assertThat(page.get("items")).as("in the order of a track's fields")
				.allSatisfy(item -> assertThat(item.propertyNames()).containsExactly("name", "uri", "trackNumber"));
			assertThat(page.get("nextOffset").isNull()).isTrue();
		}
	}

	@Test
	void resultsTellAPersonDueToSignInAgainWhenAndWhere() {
		EmulatedUser user = newUser(3);
		BrowserSession browser = signedIn(user);
		this.jdbc.sql("update account set authorized_at = ? where spotify_id = ?")
			.params(java.sql.Timestamp
				.from(Instant.now().atOffset(ZoneOffset.UTC).minusMonths(6).plusDays(3).toInstant()), user.id())
			.update();

		try (McpSyncClient agent = agentOf(browser)) {
			CallToolResult result = call(agent, "get_saved_tracks", Map.of());

			assertThat(result.content()).last()
				.extracting(content -> ((io.modelcontextprotocol.spec.McpSchema.TextContent) content).text())
				.asString()
				.contains("Sign in again before")
				.contains(ReauthorizationRequired.SIGN_IN_PATH);
			assertThat(structured(result).get("items")).hasSize(3);
		}
	}

	@Test
	void argumentsOutsideTheSchemaAreToolErrorsThatSayWhy() {
		try (McpSyncClient agent = agentOf(newUser(5))) {

			CallToolResult tooMany = call(agent, "get_saved_tracks", Map.of("limit", 501));
			CallToolResult unknown = call(agent, "get_saved_tracks", Map.of("account", "someone-else"));
			CallToolResult badDate = call(agent, "search_saved_tracks", Map.of("addedAfter", "last summer"));

			assertThat(tooMany.isError()).isTrue();
			assertThat(text(tooMany)).contains("limit");
			assertThat(unknown.isError()).isTrue();
			assertThat(badDate.isError()).isTrue();
			assertThat(text(badDate)).contains("addedAfter must be a date");
		}
	}

	@Test
	void searchFindsTitleArtistOrAlbumIgnoringCaseAndAccents() {
		EmulatedUser user = newUser(40);
		user.saveTrack(SavedTrack.of("1mcpSearchHaloBeyonce0", "Halo", "Beyoncé"));
		user.saveTrack(SavedTrack.of("2mcpSearchCremeBrulee0", "Crème Brûlée", "Los Jóvenes")
			.withAlbum(new Album("3mcpSearchAlbumEte00000", "Été Indien", "1975-06-01", null)));
		user.saveTrack(SavedTrack.of("4mcpSearchRoyksopp0000", "Eple", "Røyksopp"));

		try (McpSyncClient agent = agentOf(user)) {

			assertThat(matches(agent, Map.of("query", "BEYONCE"))).containsExactly("1mcpSearchHaloBeyonce0");
			assertThat(matches(agent, Map.of("query", "halo beyonce"))).containsExactly("1mcpSearchHaloBeyonce0");
			assertThat(matches(agent, Map.of("query", "creme brulee"))).containsExactly("2mcpSearchCremeBrulee0");
			assertThat(matches(agent, Map.of("query", "ete indien"))).containsExactly("2mcpSearchCremeBrulee0");
			assertThat(matches(agent, Map.of("artist", "jovenes"))).containsExactly("2mcpSearchCremeBrulee0");
			assertThat(matches(agent, Map.of("query", "royksopp"))).containsExactly("4mcpSearchRoyksopp0000");
			assertThat(matches(agent, Map.of("query", "halo", "artist", "los jovenes"))).isEmpty();
		}
	}

	@Test
	void searchBySaveDateCountsEveryMatchAndPagesThroughThem() {
		EmulatedUser user = newUser(30);
		for (int i = 0; i < 12; i++) {
			user.saveTrack(SavedTrack.of("mcpDate2019track" + String.format("%06d", i), "Song " + i, "Band")
				.withAddedAt(Instant.parse("2019-01-01T00:00:00Z").plusSeconds(86_400L * 25 * i)));
		}
		user.saveTrack(SavedTrack.of("mcpDate2020track000000", "Later", "Band")
			.withAddedAt(Instant.parse("2020-01-01T00:00:00Z")));
		List<String> expected = user.library()
			.stream()
			.filter(t -> t.addedAt().atZone(ZoneOffset.UTC).getYear() == 2019)
			.map(SavedTrack::id)
			.toList();

		try (McpSyncClient agent = agentOf(user)) {
			JsonNode first = structured(call(agent, "search_saved_tracks",
					Map.of("addedAfter", "2019", "addedBefore", "2020-01-01", "limit", 10)));
			JsonNode rest = structured(call(agent, "search_saved_tracks",
					Map.of("addedAfter", "2019", "addedBefore", "2020-01-01", "offset", 10, "limit", 10)));

			assertThat(first.get("total").asInt()).isEqualTo(12);
			assertThat(first.get("nextOffset").asInt()).isEqualTo(10);
			assertThat(rest.get("nextOffset").isNull()).isTrue();
			List<String> found = new ArrayList<>(ids(first));
			found.addAll(ids(rest));
			assertThat(found).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void statsSummariseTheWholeLibrary() {
		EmulatedUser user = newUser(250);
		user.saveTrack(SavedTrack.of("mcpStats2021track00000", "Recent", "Nora Vale")
			.withAddedAt(Instant.parse("2021-06-01T12:00:00Z")));
		List<SavedTrack> library = user.library();

		try (McpSyncClient agent = agentOf(user)) {
			CallToolResult result = call(agent, "library_stats", Map.of("top", 5));

			JsonNode stats = structured(result);
			assertThat(stats.get("total").asInt()).isEqualTo(251);
			assertThat(stats.get("lastSyncedAt").asString()).isNotBlank();
			assertThat(stats.get("stale").isNull()).isTrue();
			assertThat(stats.get("newest").get("id").asString()).isEqualTo(library.get(0).id());
			assertThat(stats.get("oldest").get("id").asString()).isEqualTo(library.get(library.size() - 1).id());
			assertThat(stats.get("savedPerYear")).isEqualTo(json.valueToTree(perYear(library)));
			assertThat(stats.get("topArtists")).hasSize(5);
			Map<String, Integer> counts = artistCounts(library);
			List<Integer> expectedCounts = counts.values().stream().sorted(Comparator.reverseOrder()).limit(5).toList();
			assertThat(stats.get("topArtists").valueStream().map(a -> a.get("count").asInt()).toList())
				.isEqualTo(expectedCounts);
			stats.get("topArtists")
				.forEach(a -> assertThat(counts.get(a.get("name").asString())).isEqualTo(a.get("count").asInt()));
			assertThat(text(result)).startsWith("251 saved tracks").contains("Most saved artists: ");
		}
	}

	@Test
	void csvResourceIsTheLibraryAsTheHttpApiServesIt() {
		EmulatedUser user = newUser(130);
		user.saveTrack(SavedTrack.of("mcpCsvQuotes0000000000", "Say \"hi\", then go", "A, B & C"));
		BrowserSession browser = signedIn(user);
		String api = browser.get("/api/saved-tracks", "text/csv").body();

		try (McpSyncClient agent = agentOf(browser)) {
			TextResourceContents csv = (TextResourceContents) agent
				.readResource(ReadResourceRequest.builder(LibraryTools.CSV_URI).build())
				.contents()
				.get(0);

			assertThat(csv.mimeType()).isEqualTo("text/csv");
			assertThat(csv.text()).isEqualTo(api);
			assertThat(csv.text().split("\r\n")).hasSize(132);
		}
	}

	@Test
	void oneKeyNeverSeesAnotherPersonsTracks() {
		EmulatedUser alice = newUser(30);
		alice.saveTrack(SavedTrack.of("mcpAliceOnly0000000000", "Alice's secret song", "Alice"));
		EmulatedUser bob = newUser(7);
		signedIn(alice).api("/api/saved-tracks");

		try (McpSyncClient bobs = agentOf(bob)) {
			JsonNode page = structured(call(bobs, "get_saved_tracks", Map.of("limit", 500)));
			JsonNode search = structured(call(bobs, "search_saved_tracks", Map.of("query", "secret")));
			JsonNode stats = structured(call(bobs, "library_stats", Map.of()));
			String csv = ((TextResourceContents) bobs
				.readResource(ReadResourceRequest.builder(LibraryTools.CSV_URI).build())
				.contents()
				.get(0)).text();

			assertThat(ids(page)).containsExactlyElementsOf(ids(bob.library()));
			assertThat(search.get("total").asInt()).isZero();
			assertThat(stats.get("total").asInt()).isEqualTo(7);
			assertThat(csv).doesNotContain("mcpAliceOnly").hasLineCount(8);
		}
	}

	@Test
	void warmCallsCostSpotifyNothing() {
		try (McpSyncClient agent = agentOf(newUser(300))) {
			call(agent, "get_saved_tracks", Map.of());
			spotify.counters().reset();

			structured(call(agent, "get_saved_tracks", Map.of("offset", 100)));
			structured(call(agent, "search_saved_tracks", Map.of("query", "midnight")));
			structured(call(agent, "library_stats", Map.of()));
			agent.readResource(ReadResourceRequest.builder(LibraryTools.CSV_URI).build());

			assertThat(spotify.counters().tracksRequests()).isZero();
			assertThat(spotify.counters().meRequests()).isZero();
			assertThat(spotify.counters().tokenRequests("refresh_token")).isZero();
		}
	}

	@Test
	void aCopySpotifyCouldNotConfirmIsServedAndSaidToBeStale() {
		EmulatedUser user = newUser(80);
		try (McpSyncClient agent = agentOf(user)) {
			call(agent, "get_saved_tracks", Map.of());
			outOfFreshnessWindow(user);
			spotify.faults().nextTimes(50, Fault.status(503));

			CallToolResult result = call(agent, "get_saved_tracks", Map.of("limit", 10));

			JsonNode page = structured(result);
			assertThat(page.get("stale").asString()).isEqualTo("spotify-unavailable");
			assertThat(page.get("total").asInt()).isEqualTo(80);
			assertThat(ids(page)).containsExactlyElementsOf(ids(user.library()).subList(0, 10));
			assertThat(text(result)).contains("Spotify could not be asked for changes just now (spotify-unavailable)");
		}
	}

	@Test
	void aPersonWhoMustSignInAgainIsToldWhereInAToolError() {
		EmulatedUser user = newUser(20);
		try (McpSyncClient agent = agentOf(user)) {
			call(agent, "get_saved_tracks", Map.of());
			user.revoke();
			spotify.expireAccessTokens();
			outOfFreshnessWindow(user);

			CallToolResult result = call(agent, "library_stats", Map.of());

			assertThat(result.isError()).isTrue();
			String signIn = appUrl() + "/oauth2/authorization/spotify";
			assertThat(text(result)).contains("Sign in again").contains(signIn).contains("reauthorization-required");
			assertThat(result.structuredContent()).as("an error does not pretend to match the output schema").isNull();
		}
	}

	private McpSyncClient agentOf(EmulatedUser user) {
		return agentOf(signedIn(user));
	}

	private McpSyncClient agentOf(BrowserSession browser) {
		return Agents.connect(appUrl(), Agents.createKey(browser));
	}

	private static List<String> matches(McpSyncClient agent, Map<String, Object> arguments) {
		return ids(structured(call(agent, "search_saved_tracks", arguments)));
	}

	/**
	 * As if the cached copy had last been confirmed long ago: the next read asks Spotify
	 * first.
	 */
	private void outOfFreshnessWindow(EmulatedUser user) {
		this.jdbc.sql("update library set checked_at = timestamp '2020-01-01 00:00:00' where account_id = ?")
			.param(user.id())
			.update();
	}

	private static Map<String, Integer> perYear(List<SavedTrack> library) {
		Map<String, Integer> years = new TreeMap<>();
		library
			.forEach(t -> years.merge(Integer.toString(t.addedAt().atZone(ZoneOffset.UTC).getYear()), 1, Integer::sum));
		return years;
	}

	/** Saved tracks per artist name (the generated artists have distinct names). */
	private static Map<String, Integer> artistCounts(List<SavedTrack> library) {
		Map<String, Integer> counts = new HashMap<>();
		library.forEach(
				t -> t.artists().stream().map(Artist::name).distinct().forEach(n -> counts.merge(n, 1, Integer::sum)));
		return counts;
	}

}
