package dev.savedtracks.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SpotifyEmulator;
import dev.savedtracks.library.Library;
import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.McpOAuthTokens;
import dev.savedtracks.mcpauth.token.McpAccessTokens;

/**
 * The MCP tools of issue 29 on a warm library: filtered statistics, a filtered and sorted
 * search, and what validating the caller's credential adds to a call: the same
 * {@code tools/list} (which reads no library) without a credential (refused before any
 * lookup: the baseline), with an API key and with an OAuth access token, interleaved;
 * and, where the service runs in this JVM, each validation timed alone, as the filter
 * chain runs it. With the Spotify requests they cause (none expected).
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
			long toolsList, long toolsListP99, long oauthList, long oauthListP99, long anonymous, long anonymousP99,
			int spotifyRequests) {

		List<String> rows(int tracks) {
			return List.of(
					row("`library_stats` without filters (for reference, measured alongside)", this.plainStats,
							this.plainStatsP99),
					row("`library_stats` with filters (artist, addedAfter, explicit), " + tracks + " tracks",
							this.stats, this.statsP99),
					row("`search_saved_tracks` with filters, sorted by name, 50 tracks", this.search, this.searchP99),
					row("`tools/list` without a credential (401 before any lookup: the baseline)", this.anonymous,
							this.anonymousP99),
					row("`tools/list` with an API key (key validation and the MCP round trip)", this.toolsList,
							this.toolsListP99),
					row("`tools/list` with an OAuth access token (token validation and the MCP round trip)",
							this.oauthList, this.oauthListP99),
					"| Added over the baseline, API key / OAuth token, medians | " + ms(keyAdded()) + " / "
							+ ms(tokenAdded()) + " | validation plus listing the tools (an upper bound) |",
					"| Spotify requests of these calls | " + this.spotifyRequests + " | |");
		}

		long keyAdded() {
			return this.toolsList - this.anonymous;
		}

		long tokenAdded() {
			return this.oauthList - this.anonymous;
		}

	}

	/**
	 * Each validation alone, and a whole-library read through the door (the library
	 * opened, its kept tracks handed over), in process: medians and p99 in nanoseconds.
	 */
	record Validation(long key, long keyP99, long token, long tokenP99, long wholeRead, long wholeReadP99) {

		List<String> rows() {
			return List.of(
					microRow("API key validation alone (in process, as the filter chain runs it)", this.key,
							this.keyP99),
					microRow("OAuth access token validation alone (in process, as the filter chain runs it)",
							this.token, this.tokenP99),
					row("`Library.each` over the whole library alone (in process: opened, its kept tracks visited)",
							this.wholeRead, this.wholeReadP99));
		}

		private static String microRow(String what, long median, long p99) {
			return "| " + what + ", median | " + String.format(Locale.ROOT, "%.3f ms", median / 1e6) + " | p99 "
					+ String.format(Locale.ROOT, "%.3f ms", p99 / 1e6) + " |";
		}

	}

	/**
	 * Times the two validations the {@code /mcp} filter chains run, alone, in the
	 * service's own beans: an API key through the bearer-token introspector, an access
	 * token through {@link McpAccessTokens} (one indexed query, nothing cached).
	 */
	static Validation validation(InProcessService service, String key, String token, String accountId, int calls) {
		Library library = service.bean(Library.class);
		int[] visited = new int[1];
		Runnable wholeRead = () -> library.each(accountId, track -> visited[0]++);
		OpaqueTokenIntrospector keys = service.bean(OpaqueTokenIntrospector.class);
		McpAccessTokens tokens = new McpAccessTokens(service.bean(JdbcClient.class),
				service.bean(McpAuthSettings.class), service.bean(Clock.class));
		URI url = URI.create(service.url());
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.setServerName(url.getHost());
		request.setServerPort(url.getPort());
		Runnable keyCheck = () -> keys.introspect(key);
		Runnable tokenCheck = () -> {
			if (!tokens.resolve(request).authenticate(new BearerTokenAuthenticationToken(token)).isAuthenticated()) {
				throw new IllegalStateException("the access token was not accepted");
			}
		};
		for (int i = 0; i < calls; i++) {
			keyCheck.run();
			tokenCheck.run();
			wholeRead.run();
		}
		List<Long> keyTimes = new ArrayList<>();
		List<Long> tokenTimes = new ArrayList<>();
		List<Long> readTimes = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			keyTimes.add(timedUnchecked(keyCheck));
			tokenTimes.add(timedUnchecked(tokenCheck));
			readTimes.add(timedUnchecked(wholeRead));
		}
		return new Validation(percentile(keyTimes, 50), percentile(keyTimes, 99), percentile(tokenTimes, 50),
				percentile(tokenTimes, 99), percentile(readTimes, 50), percentile(readTimes, 99));
	}

	static Figures measure(String serviceUrl, String key, String accessToken, SpotifyEmulator spotify, int calls)
			throws Exception {
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
		HttpRequest oauthList = HttpRequest.newBuilder(list, (name, value) -> !name.equalsIgnoreCase("Authorization"))
			.header("Authorization", "Bearer " + accessToken)
			.build();
		HttpRequest anonymousList = HttpRequest
			.newBuilder(list, (name, value) -> !name.equalsIgnoreCase("Authorization"))
			.build();
		try (McpSyncClient agent = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2)).build()) {
			agent.initialize();
			for (int i = 0; i < Math.max(10, calls / 3); i++) {
				call(agent, "library_stats", STATS_FILTERS);
				call(agent, "search_saved_tracks", SEARCH_FILTERS);
				http.send(list, HttpResponse.BodyHandlers.discarding());
				http.send(oauthList, HttpResponse.BodyHandlers.discarding());
				http.send(anonymousList, HttpResponse.BodyHandlers.discarding());
			}
			spotify.counters().reset();
			List<Long> plain = new ArrayList<>();
			List<Long> stats = new ArrayList<>();
			List<Long> search = new ArrayList<>();
			List<Long> tools = new ArrayList<>();
			List<Long> oauth = new ArrayList<>();
			List<Long> anonymous = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				plain.add(timed(() -> call(agent, "library_stats", Map.of())));
				stats.add(timed(() -> call(agent, "library_stats", STATS_FILTERS)));
				search.add(timed(() -> call(agent, "search_saved_tracks", SEARCH_FILTERS)));
				anonymous.add(timed(() -> send(http, anonymousList, 401)));
				tools.add(timed(() -> send(http, list, 200)));
				oauth.add(timed(() -> send(http, oauthList, 200)));
			}
			return new Figures(percentile(plain, 50), percentile(plain, 99), percentile(stats, 50),
					percentile(stats, 99), percentile(search, 50), percentile(search, 99), percentile(tools, 50),
					percentile(tools, 99), percentile(oauth, 50), percentile(oauth, 99), percentile(anonymous, 50),
					percentile(anonymous, 99), spotify.counters().tracksRequests());
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
				String accessToken = McpOAuthTokens.accessToken(service.url(), user.id());
				Figures figures = measure(service.url(), key, accessToken, spotify, 100);
				Validation validation = validation(service, key, accessToken, user.id(), 100);
				System.out.println("| Measure | Value | Notes |");
				System.out.println("|---|---|---|");
				figures.rows(tracks).forEach(System.out::println);
				validation.rows().forEach(System.out::println);
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

	private static void send(HttpClient http, HttpRequest request, int status) throws Exception {
		HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() != status) {
			throw new IllegalStateException("tools/list answered " + response.statusCode() + ", not " + status);
		}
	}

	private static long timedUnchecked(Runnable work) {
		long start = System.nanoTime();
		work.run();
		return System.nanoTime() - start;
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

	private static String row(String what, long median, long p99) {
		return "| " + what + ", median | " + ms(median) + " | p99 " + ms(p99) + " |";
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	@FunctionalInterface
	private interface Timed {

		void run() throws Exception;

	}

}
