package dev.savedtracks.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The MCP tools of issue 29 on a warm library: filtered statistics, a filtered and sorted
 * search, and what validating the caller's key costs a call (an authenticated
 * {@code tools/list}, which reads no library: its whole round trip bounds the validation
 * from above), with the Spotify requests they cause (none expected).
 * {@link BenchmarkRunner} adds these rows to its section 5; {@link #main} measures them
 * alone, in a few seconds: {@code java -cp <test class path>
 * dev.savedtracks.benchmark.McpToolsBenchmark [tracks]}.
 */
public final class McpToolsBenchmark {

	static final Map<String, Object> STATS_FILTERS = Map.of("artist", "a", "addedAfter", "2000", "explicit", false,
			"top", 10);

	static final Map<String, Object> SEARCH_FILTERS = Map.of("query", "aurora", "addedAfter", "2000", "sort", "name",
			"limit", 50);

	private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";

	private McpToolsBenchmark() {
	}

	/** Medians in nanoseconds, and the Spotify requests of all measured calls. */
	record Figures(long plainStats, long plainStatsP99, long stats, long statsP99, long search, long searchP99,
			long toolsList, long toolsListP99, int spotifyRequests) {

		List<String> rows(int tracks) {
			return List.of(
					row("`library_stats` without filters (for reference, measured alongside)", this.plainStats,
							this.plainStatsP99),
					row("`library_stats` with filters (artist, addedAfter, explicit), " + tracks + " tracks",
							this.stats, this.statsP99),
					row("`search_saved_tracks` with filters, sorted by name, 50 tracks", this.search, this.searchP99),
					row("authenticated `tools/list` (key validation and the MCP round trip)", this.toolsList,
							this.toolsListP99),
					"| Spotify requests of these calls | " + this.spotifyRequests + " | |");
		}

		private static String row(String what, long median, long p99) {
			return "| " + what + ", median | " + ms(median) + " | p99 " + ms(p99) + " |";
		}

	}

	static Figures measure(String serviceUrl, String key, SpotifyEmulator spotify, int calls) throws Exception {
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(serviceUrl)
			.endpoint("/mcp")
			.customizeClient(client -> client.version(HttpClient.Version.HTTP_1_1))
			.addHttpRequestCustomizer(
					(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + key))
			.build();
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest list = HttpRequest.newBuilder(URI.create(serviceUrl + "/mcp"))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(TOOLS_LIST))
			.build();
		try (McpSyncClient agent = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2)).build()) {
			agent.initialize();
			for (int i = 0; i < Math.max(10, calls / 3); i++) {
				call(agent, "library_stats", STATS_FILTERS);
				call(agent, "search_saved_tracks", SEARCH_FILTERS);
				http.send(list, HttpResponse.BodyHandlers.discarding());
			}
			spotify.counters().reset();
			List<Long> plain = new ArrayList<>();
			List<Long> stats = new ArrayList<>();
			List<Long> search = new ArrayList<>();
			List<Long> tools = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				plain.add(timed(() -> call(agent, "library_stats", Map.of())));
				stats.add(timed(() -> call(agent, "library_stats", STATS_FILTERS)));
				search.add(timed(() -> call(agent, "search_saved_tracks", SEARCH_FILTERS)));
				tools.add(timed(() -> {
					HttpResponse<Void> response = http.send(list, HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() != 200) {
						throw new IllegalStateException("tools/list answered " + response.statusCode());
					}
				}));
			}
			return new Figures(percentile(plain, 50), percentile(plain, 99), percentile(stats, 50),
					percentile(stats, 99), percentile(search, 50), percentile(search, 99), percentile(tools, 50),
					percentile(tools, 99), spotify.counters().tracksRequests());
		}
	}

	public static void main(String[] args) throws Exception {
		int tracks = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		try (SpotifyEmulator spotify = SpotifyEmulator.start()) {
			int port = TestSupport.freePort();
			spotify.allowRedirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/spotify");
			Map<String, Object> properties = new LinkedHashMap<>(EmulatorWiring.pointingAt(spotify));
			properties.put("server.port", port);
			properties.put("token.encryption.key", TestSupport.randomKey());
			properties.put("spring.datasource.url", "jdbc:h2:mem:mcp-bench;DB_CLOSE_DELAY=-1");
			properties.put("spotify.request-budget", "unlimited");
			properties.put("library.warm-up", "false");
			properties.put("mcp.calls-per-person", 4);
			try (InProcessService service = InProcessService.start(properties)) {
				EmulatedUser user = spotify.user("mcp-bench").generateLibrary(tracks);
				BrowserSession browser = new BrowserSession(service.url());
				browser.signIn(user.id());
				String key = JsonMapper.builder()
					.build()
					.readTree(browser.write("POST", "/api/keys", "{\"name\":\"benchmark\"}").body())
					.get("key")
					.asString();
				browser.api("/api/saved-tracks?limit=1");
				Figures figures = measure(service.url(), key, spotify, 100);
				System.out.println("| Measure | Value | Notes |");
				System.out.println("|---|---|---|");
				figures.rows(tracks).forEach(System.out::println);
			}
		}
		System.exit(0);
	}

	private static void call(McpSyncClient agent, String tool, Map<String, Object> arguments) {
		CallToolResult result = agent.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
		if (Boolean.TRUE.equals(result.isError())) {
			throw new IllegalStateException(tool + " failed: " + result.content());
		}
	}

	private static long timed(Timed work) throws Exception {
		long start = System.nanoTime();
		work.run();
		return System.nanoTime() - start;
	}

	private static long percentile(List<Long> values, int percentile) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	@FunctionalInterface
	private interface Timed {

		void run() throws Exception;

	}

}
