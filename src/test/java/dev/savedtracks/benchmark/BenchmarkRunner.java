package dev.savedtracks.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import se.michaelthelin.spotify.SpotifyApi;
import se.michaelthelin.spotify.model_objects.specification.Paging;
import se.michaelthelin.spotify.model_objects.specification.SavedTrack;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.RunningService;
import dev.savedtracks.ServiceProcess;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SpotifyEmulator;
import dev.savedtracks.mcpauth.McpOAuthTokens;

/**
 * Measures the service, started in a JVM of its own with a heap limit, against the way
 * people page through their saved tracks today (spotify-web-api-java, one page after the
 * other), both talking to the emulator with the same per-request latency, and writes the
 * figures to a Markdown report. Settings are system properties ({@code bench.*}, see
 * {@link Settings}); {@code ./mvnw -Pbenchmark verify} runs it with the defaults, through
 * {@code src/test/benchmark/RunBenchmark.java} (a source-file launcher, so that the test
 * classes keep a single main class for {@code spring-boot:test-run}).
 */
public final class BenchmarkRunner {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Path WRK = Path.of("/usr/bin/wrk");

	private static final java.util.regex.Pattern TOTAL = java.util.regex.Pattern.compile("\\{\"total\":(\\d+),");

	private final Settings settings;

	private final Repeats repeats;

	private final List<String> report = new ArrayList<>();

	private final List<String> verdicts = new ArrayList<>();

	/** Section 12 and its targets, between its markers. */
	private List<String> budgetBlock = List.of();

	public BenchmarkRunner(Settings settings) {
		this.settings = settings;
		this.repeats = settings.full() ? Repeats.FULL : Repeats.SMOKE;
	}

	/**
	 * Runs every scenario and writes the report; returns its path. With
	 * {@code -Dbench.only=budget}, section 12 only, written over its block of the report.
	 */
	public Path run() throws Exception {
		Settings s = this.settings;
		if ("budget".equals(System.getProperty("bench.only")) || BudgetBenchmark.ALONE) {
			return runBudgetOnly();
		}
		try (SpotifyEmulator spotify = SpotifyEmulator.start()) {
			FleetBenchmark fleet = new FleetBenchmark(s, spotify);
			int port = TestSupport.freePort();
			int managementPort = TestSupport.freePort();
			spotify.allowRedirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/spotify");
			Path data = Files.createTempDirectory("benchmark-db");
			Map<String, String> properties = new LinkedHashMap<>(EmulatorWiring.pointingAt(spotify));
			properties.put("spotify.page-concurrency", Integer.toString(s.concurrency()));
			properties.put("token.encryption.key", TestSupport.randomKey());
			properties.put("spring.datasource.url", "jdbc:h2:file:" + data.resolve("bench").toAbsolutePath());
			properties.put("management.server.port", Integer.toString(managementPort));
			properties.put("logging.level.root", "WARN");
			// Sections 1-6 measure the design without the request budget (section 7 on
			// measures it), revalidation
			// without the recheck throttle, and no background revalidation among the
			// measured requests.
			properties.put("spotify.request-budget", "unlimited");
			properties.put("library.min-recheck", "0s");
			properties.put("library.warm-up", "false");
			try (RunningService service = s.startService(port, properties, "benchmark-service")) {
				HeapSampler heap = new HeapSampler("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
				heap.start();
				measure(spotify, service);
				this.report.add("");
				HeapSampler.Peaks peaks = heap.stop();
				this.report
					.add("Peak heap in use by the service over the whole run (sampled every 100 ms, garbage not yet "
							+ "collected included): " + mib(peaks.heapBytes()) + " MiB of " + s.heap()
							+ "; longest GC pause: "
							+ String.format(Locale.ROOT, "%.0f ms", peaks.longestGcPauseMillis()) + ".");
				if (!s.full()) {
					// The smoke run saves a service start-up: section 11's settings (no
					// budget, no refresh=true) are this service's.
					spotify.latency(Duration.ZERO);
					fleet.largeLibrary(service, managementPort);
				}
			}
			fleet.run();
			this.report.addAll(fleet.report());
			this.verdicts.addAll(fleet.verdicts());
			BudgetBenchmark budget = new BudgetBenchmark(s, spotify);
			budget.run();
			this.budgetBlock = budget.block();
		}
		return write();
	}

	/** Section 12 alone, written over its block of the existing report (or added). */
	private Path runBudgetOnly() throws Exception {
		List<String> block;
		try (SpotifyEmulator spotify = SpotifyEmulator.start()) {
			BudgetBenchmark budget = new BudgetBenchmark(this.settings, spotify);
			budget.run();
			block = budget.block();
		}
		if (BudgetBenchmark.ALONE) {
			block.forEach(System.out::println);
			return this.settings.output();
		}
		Path output = this.settings.output();
		List<String> lines = Files.exists(output) ? new ArrayList<>(Files.readAllLines(output, StandardCharsets.UTF_8))
				: new ArrayList<>();
		int begin = lines.indexOf(BudgetBenchmark.BEGIN);
		int end = lines.indexOf(BudgetBenchmark.END);
		if (begin >= 0 && end > begin) {
			lines.subList(begin, end + 1).clear();
			lines.addAll(begin, block);
		}
		else {
			int soak = lines.indexOf("<!-- soak:begin -->");
			lines.addAll((soak >= 0) ? soak : lines.size(), block);
		}
		Files.write(output, lines, StandardCharsets.UTF_8);
		return output;
	}

	private void measure(SpotifyEmulator spotify, RunningService service) throws Exception {
		Settings s = this.settings;
		EmulatedUser user = spotify.user("bench-" + Long.toHexString(System.nanoTime())).generateLibrary(s.tracks());
		String key = keyFor(service, user);
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String url = service.url() + "/api/saved-tracks";
		warmUp(spotify, service, client, url);
		spotify.latency(Duration.ofMillis(s.latencyMs()));

		// 1. Cold sync through the service versus the sequential peer. The service's
		// figure is the median of three
		// people's first calls (each an empty cache); the sequential peer varies far less
		// than its 20 s.
		List<Long> colds = new ArrayList<>();
		List<Integer> coldRequestCounts = new ArrayList<>();
		for (int i = 0; i < this.repeats.coldRuns(); i++) {
			String coldKey = (i == 0) ? key
					: keyFor(service, spotify.user("bench-cold-" + i + "-" + Long.toHexString(System.nanoTime()))
						.generateLibrary(s.tracks()));
			spotify.counters().reset();
			colds.add(timed(() -> expectTotal(get(client, url, coldKey), s.tracks())));
			coldRequestCounts.add(spotify.counters().tracksRequests());
		}
		long cold = percentile(colds, 50);
		int coldRequests = Collections.max(coldRequestCounts);
		spotify.counters().reset();
		long peer = timed(() -> peerFetchAll(spotify, user));
		int peerRequests = spotify.counters().tracksRequests();
		int pages = (s.tracks() + 49) / 50;
		long ideal = (1 + (long) Math.ceil((pages - 1) / (double) s.concurrency())) * s.latencyMs();
		section("1. Cold sync of " + s.tracks() + " tracks (" + s.latencyMs() + " ms per Spotify request)");
		row("Service, `GET /api/saved-tracks`, concurrency C = " + s.concurrency() + ", median of "
				+ this.repeats.coldRuns() + " people", ms(cold),
				"each run: " + String.join(", ", colds.stream().map(BenchmarkRunner::ms).toList()) + "; at most "
						+ coldRequests + " requests per run");
		row("Peer, spotify-web-api-java paging sequentially", ms(peer), peerRequests + " requests");
		row("Ideal for C, `(1 + ceil(" + (pages - 1) + " / C)) × " + s.latencyMs() + " ms`", ms(ideal * 1_000_000), "");
		this.report.add("");
		this.report.add(String.format(Locale.ROOT,
				"Service / ideal = **%.2f×** (target ≤ 1.3×); peer / service = " + "**%.1f×** (target ≥ 5×).",
				cold / (ideal * 1e6), peer / (double) cold));
		verdict("cold sync within 1.3× of ideal", cold <= ideal * 1.3e6);
		verdict("cold sync ≥ 5× faster than the sequential peer", peer >= 5.0 * cold);

		// 2. Warm reads of the whole library.
		spotify.counters().reset();
		List<Long> warm = new ArrayList<>();
		for (int i = 0; i < s.warmReads(); i++) {
			warm.add(timed(() -> expectTotal(get(client, url, key), s.tracks())));
		}
		section("2. Warm read of the whole library (" + s.tracks() + " tracks, " + s.warmReads() + " reads)");
		row("Median", ms(percentile(warm, 50)), "");
		row("p99", ms(percentile(warm, 99)), spotify.counters().tracksRequests() + " Spotify requests in all");
		verdict("warm median < 50 ms", percentile(warm, 50) < 50_000_000L);
		verdict("warm p99 < 150 ms", percentile(warm, 99) < 150_000_000L);

		// 3. Revalidation, repeated: one call is too few to tell the design from the
		// machine's noise.
		List<Long> unchangedTimes = new ArrayList<>();
		int unchangedRequests = 0;
		for (int i = 0; i < this.repeats.revalidations(); i++) {
			spotify.counters().reset();
			unchangedTimes.add(timed(() -> expectTotal(get(client, url + "?refresh=true&limit=1", key), s.tracks())));
			unchangedRequests = Math.max(unchangedRequests, spotify.counters().tracksRequests());
		}
		long unchanged = percentile(unchangedTimes, 50);
		user.saveNewTracks(3);
		spotify.counters().reset();
		long added = timed(() -> expectTotal(get(client, url + "?refresh=true&limit=1", key), s.tracks() + 3));
		int addedRequests = spotify.counters().tracksRequests();
		section("3. Revalidation (`refresh=true`)");
		row("Nothing changed, median of " + this.repeats.revalidations(), ms(unchanged), "slowest "
				+ ms(Collections.max(unchangedTimes)) + "; at most " + unchangedRequests + " Spotify request(s) each");
		row("3 tracks added on top", ms(added), addedRequests + " Spotify request(s)");
		verdict("unchanged revalidation = 1 request within 30 ms of one round trip",
				unchangedRequests == 1 && unchanged <= (s.latencyMs() + 30) * 1_000_000L);
		verdict("3 added = 1 request", addedRequests == 1);

		// 4. Throughput of small windows with an API key.
		spotify.counters().reset();
		Throughput throughput = Files.isExecutable(WRK) ? wrk(url + "?limit=50", key)
				: throughput(client, url + "?limit=50", key);
		section("4. Throughput of `GET /api/saved-tracks?limit=50` with an API key (" + s.throughputThreads()
				+ " keep-alive connections, " + s.throughputSeconds() + " s measured after "
				+ s.throughputWarmUpSeconds() + " s of the same load unmeasured, " + throughput.generator()
				+ " on the same machine)");
		row("Requests per second", String.format(Locale.ROOT, "%.0f", throughput.perSecond()),
				throughput.requests() + " requests, " + throughput.errors() + " errors");
		row("p99", ms(throughput.p99()), spotify.counters().tracksRequests() + " Spotify requests");
		verdict("≥ 2,000 requests/s", throughput.perSecond() >= 2000);

		// 5. What an AI agent's calls cost, through the MCP endpoint, on the same warm
		// library.
		int mcpRequests = measureMcp(spotify, service, key, user.id(), s.tracks() + 3);

		// 6. Memory: a large library synced and served under the heap limit.
		EmulatedUser big = spotify.user("bench-big-" + Long.toHexString(System.nanoTime()))
			.generateLibrary(s.memoryTracks());
		String bigKey = keyFor(service, big);
		spotify.counters().reset();
		long bigCold = timed(() -> expectTotal(get(client, url, bigKey), s.memoryTracks()));
		int bigRequests = spotify.counters().tracksRequests();
		List<Long> bigWarm = new ArrayList<>();
		for (int i = 0; i < this.repeats.memoryReads(); i++) {
			bigWarm.add(timed(() -> expectTotal(get(client, url, bigKey), s.memoryTracks())));
		}
		long ndjson = timed(() -> {
			HttpResponse<String> response = send(client, url, bigKey, "application/x-ndjson");
			if (response.body().lines().count() != s.memoryTracks()) {
				throw new IllegalStateException("NDJSON lines differ from the library size");
			}
		});
		section("6. Memory: " + s.memoryTracks() + " tracks with -Xmx" + s.heap());
		row("Cold sync and answer", ms(bigCold), bigRequests + " Spotify requests");
		row("Whole-library JSON reads, median / max of " + this.repeats.memoryReads(),
				ms(percentile(bigWarm, 50)) + " / " + ms(Collections.max(bigWarm)), "");
		row("Whole-library NDJSON read", ms(ndjson), "");
		long bigIdeal = (1 + (long) Math.ceil(((s.memoryTracks() + 49) / 50 - 1) / (double) s.concurrency()))
				* s.latencyMs();
		this.report.add("");
		this.report.add(String.format(Locale.ROOT,
				"Cold sync / ideal for C = **%.2f×**; slowest / median of the " + "whole-library reads = **%.2f×**.",
				bigCold / (bigIdeal * 1e6), Collections.max(bigWarm) / (double) percentile(bigWarm, 50)));
		verdict("no OutOfMemoryError; every answer complete", true);
		verdict("stable latency: slowest of the " + this.repeats.memoryReads()
				+ " whole-library reads within 2× their median",
				Collections.max(bigWarm) <= 2 * percentile(bigWarm, 50));

		this.report.add("");
		this.report.add("### Spotify requests per scenario of sections 1-6");
		this.report.add("");
		this.report.add("Counted by the emulator, in the rows above: cold sync " + coldRequests
				+ " (one per page), peer " + peerRequests + ", warm reads 0, unchanged revalidation "
				+ unchangedRequests + ", 3 added " + addedRequests + ", small windows 0, MCP tools " + mcpRequests
				+ ", " + s.memoryTracks() + "-track sync " + bigRequests + ".");
	}

	/**
	 * Calls the MCP tools as an agent does (the SDK's Java client, the person's API key
	 * as bearer token) on the warm library of {@code key}: a 50-track page of
	 * {@code get_saved_tracks} from offsets all over the library, and
	 * {@code library_stats}, which reads every track. The first calls warm the path up
	 * and are not measured.
	 * @return the Spotify requests the measured calls caused
	 */
	private int measureMcp(SpotifyEmulator spotify, RunningService service, String key, String userId, int tracks)
			throws Exception {
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(service.url())
			.endpoint("/mcp")
			.customizeClient(client -> client.version(HttpClient.Version.HTTP_1_1))
			.addHttpRequestCustomizer(
					(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + key))
			.build();
		try (McpSyncClient agent = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2)).build()) {
			agent.initialize();
			for (int i = 0; i < this.repeats.mcpWarmUpCalls(); i++) {
				mcpPage(agent, i, tracks);
				if (i % 10 == 0) {
					mcpStats(agent, tracks);
				}
			}
			spotify.counters().reset();
			List<Long> pages = new ArrayList<>();
			for (int i = 0; i < this.repeats.mcpCalls(); i++) {
				int call = i;
				pages.add(timedUnchecked(() -> mcpPage(agent, call, tracks)));
			}
			List<Long> stats = new ArrayList<>();
			for (int i = 0; i < this.repeats.mcpStatsCalls(); i++) {
				stats.add(timedUnchecked(() -> mcpStats(agent, tracks)));
			}
			int requests = spotify.counters().tracksRequests();
			section("5. MCP tools on the warm library of " + tracks + " tracks (`POST /mcp` with an API key, "
					+ "the SDK's Java client on the same machine)");
			row("`get_saved_tracks`, 50 tracks, median of " + this.repeats.mcpCalls(), ms(percentile(pages, 50)),
					"p99 " + ms(percentile(pages, 99)) + "; offsets all over the library");
			row("`library_stats`, median of " + this.repeats.mcpStatsCalls(), ms(percentile(stats, 50)),
					"p99 " + ms(percentile(stats, 99)) + "; " + requests + " Spotify requests in all");
			this.report.add("");
			this.report.add("Targets: a 50-track page under 20 ms and the statistics of " + tracks
					+ " tracks under 100 ms, median; no Spotify request.");
			verdict("MCP `get_saved_tracks` (50 tracks) median < 20 ms", percentile(pages, 50) < 20_000_000L);
			verdict("MCP `library_stats` (" + tracks + " tracks) median < 100 ms",
					percentile(stats, 50) < 100_000_000L);
			McpToolsBenchmark.Figures filtered = McpToolsBenchmark.measure(service.url(), key,
					McpOAuthTokens.accessToken(service.url(), userId), spotify, this.repeats.mcpStatsCalls());
			this.report.add("");
			this.report.add("| Measure | Value | Notes |");
			this.report.add("|---|---|---|");
			this.report.addAll(filtered.rows(tracks));
			this.report.add("");
			this.report.add("Targets: filtered statistics under 50 ms and a filtered search under 20 ms, median; "
					+ "validating the key or the token adding under 2 ms a call (the authenticated tools/list over "
					+ "the same call refused without a credential, which bounds it from above); no Spotify request.");
			verdict("MCP filtered `library_stats` (" + tracks + " tracks) median < 50 ms",
					filtered.stats() < 50_000_000L);
			verdict("MCP filtered `search_saved_tracks` median < 20 ms", filtered.search() < 20_000_000L);
			verdict("MCP API key validation adds < 2 ms a call (median, over the unauthenticated baseline)",
					filtered.keyAdded() < 2_000_000L);
			verdict("MCP OAuth token validation adds < 2 ms a call (median, over the unauthenticated baseline)",
					filtered.tokenAdded() < 2_000_000L);
			verdict("MCP calls on a warm library = 0 Spotify requests",
					requests == 0 && filtered.spotifyRequests() == 0);
			return requests + filtered.spotifyRequests();
		}
	}

	private static void mcpPage(McpSyncClient agent, int call, int tracks) {
		int offset = (int) ((call * 4999L) % Math.max(1, tracks - 50));
		CallToolResult result = agent.callTool(
				CallToolRequest.builder("get_saved_tracks").arguments(Map.of("offset", offset, "limit", 50)).build());
		Map<?, ?> page = structured(result);
		if (((Number) page.get("total")).intValue() != tracks || ((List<?>) page.get("items")).size() != 50) {
			throw new IllegalStateException("unexpected get_saved_tracks answer: " + page);
		}
	}

	private static void mcpStats(McpSyncClient agent, int tracks) {
		Map<?, ?> stats = structured(
				agent.callTool(CallToolRequest.builder("library_stats").arguments(Map.of()).build()));
		if (((Number) stats.get("total")).intValue() != tracks) {
			throw new IllegalStateException("unexpected library_stats answer: " + stats);
		}
	}

	private static Map<?, ?> structured(CallToolResult result) {
		if (Boolean.TRUE.equals(result.isError()) || !(result.structuredContent() instanceof Map<?, ?> content)) {
			throw new IllegalStateException("MCP tool failed: " + result.content());
		}
		return content;
	}

	/**
	 * Lets the service's JIT compile the hot paths first (not measured), as in a service
	 * that has been running: a cold JVM would otherwise be measured rather than the
	 * design. Three other people with libraries of the measured size are synced,
	 * revalidated and read, before the emulator's latency is switched on (a smoke run
	 * does a little of each, to keep the path working).
	 */
	private void warmUp(SpotifyEmulator spotify, RunningService service, HttpClient client, String url)
			throws Exception {
		Repeats r = this.repeats;
		for (int i = 0; i < r.warmUpPeople(); i++) {
			EmulatedUser warm = spotify.user("bench-warmup-" + i + "-" + Long.toHexString(System.nanoTime()))
				.generateLibrary(this.settings.tracks());
			String key = keyFor(service, warm);
			get(client, url, key);
			for (int j = 0; j < r.warmUpRounds(); j++) {
				get(client, url + "?refresh=true&limit=1", key);
				get(client, url, key);
			}
			peerFetchAll(spotify, warm);
		}
		EmulatedUser small = spotify.user("bench-warmup-small-" + Long.toHexString(System.nanoTime()))
			.generateLibrary(Math.min(2000, this.settings.tracks()));
		String key = keyFor(service, small);
		for (int i = 0; i < r.warmUpWindows(); i++) {
			get(client, url + "?limit=50", key);
		}
	}

	/** Signs {@code user} in through the browser flow and creates an API key for them. */
	private static String keyFor(RunningService service, EmulatedUser user) {
		BrowserSession browser = new BrowserSession(service.url());
		browser.signIn(user.id());
		return json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"benchmark\"}").body())
			.get("key")
			.asString();
	}

	private void peerFetchAll(SpotifyEmulator spotify, EmulatedUser user) throws Exception {
		SpotifyApi api = new SpotifyApi.Builder().setAccessToken(spotify.issueAccessToken(user.id()))
			.setScheme("http")
			.setHost("127.0.0.1")
			.setPort(spotify.port())
			.build();
		int offset = 0;
		int fetched = 0;
		Paging<SavedTrack> page;
		do {
			page = api.getUsersSavedTracks().limit(50).offset(offset).build().execute();
			fetched += page.getItems().length;
			offset += 50;
		}
		while (page.getNext() != null);
		if (fetched != user.library().size()) {
			throw new IllegalStateException("peer fetched " + fetched + " tracks");
		}
	}

	/**
	 * Debian's wrk as the load generator: a small C program, so the two cores go to the
	 * service rather than to a second JVM generating load. The same load runs first,
	 * unmeasured, until the service's JIT has compiled the path (it takes tens of seconds
	 * of load to reach a steady state, which is where a running service is).
	 */
	private Throughput wrk(String url, String key) throws Exception {
		if (this.settings.throughputWarmUpSeconds() > 0) {
			runWrk(url, key, this.settings.throughputWarmUpSeconds());
		}
		String output = runWrk(url, key, this.settings.throughputSeconds());
		java.util.regex.Matcher rate = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
		java.util.regex.Matcher count = java.util.regex.Pattern.compile("([0-9]+) requests in").matcher(output);
		java.util.regex.Matcher p99 = java.util.regex.Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(output);
		java.util.regex.Matcher non2xx = java.util.regex.Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)")
			.matcher(output);
		if (!rate.find() || !count.find() || !p99.find()) {
			throw new IllegalStateException("unexpected wrk output: " + output);
		}
		double value = Double.parseDouble(p99.group(1));
		long nanos = (long) (value * switch (p99.group(2)) {
			case "us" -> 1e3;
			case "ms" -> 1e6;
			default -> 1e9;
		});
		return new Throughput(Integer.parseInt(count.group(1)), non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
				Double.parseDouble(rate.group(1)), nanos, "wrk (Debian)");
	}

	private String runWrk(String url, String key, int seconds) throws Exception {
		Process process = new ProcessBuilder(WRK.toString(), "-t1", "-c" + this.settings.throughputThreads(),
				"-d" + seconds + "s", "--latency", "-H", "Authorization: Bearer " + key, "-H",
				"Accept: application/json", url)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		return output;
	}

	private Throughput throughput(HttpClient client, String url, String key) throws Exception {
		int threads = this.settings.throughputThreads();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		AtomicLong errors = new AtomicLong();
		List<Future<List<Long>>> results = new ArrayList<>();
		// Warm-up, not measured.
		Instant warm = Instant.now().plusSeconds(this.settings.throughputWarmUpSeconds());
		while (Instant.now().isBefore(warm)) {
			get(client, url, key);
		}
		Instant end = Instant.now().plusSeconds(this.settings.throughputSeconds());
		long started = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			results.add(pool.submit(() -> {
				List<Long> latencies = new ArrayList<>();
				HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				while (Instant.now().isBefore(end)) {
					long t0 = System.nanoTime();
					HttpResponse<String> response = send(own, url, key, "application/json");
					latencies.add(System.nanoTime() - t0);
					if (response.statusCode() != 200) {
						errors.incrementAndGet();
					}
				}
				return latencies;
			}));
		}
		List<Long> all = new ArrayList<>();
		for (Future<List<Long>> result : results) {
			all.addAll(result.get());
		}
		long elapsed = System.nanoTime() - started;
		pool.shutdown();
		return new Throughput(all.size(), errors.get(), all.size() / (elapsed / 1e9), percentile(all, 99),
				"Java HttpClient (wrk not installed)");
	}

	private static HttpResponse<String> get(HttpClient client, String url, String key) {
		return send(client, url, key, "application/json");
	}

	private static HttpResponse<String> send(HttpClient client, String url, String key, String accept) {
		try {
			return client.send(HttpRequest.newBuilder(URI.create(url))
				.header("Authorization", "Bearer " + key)
				.header("Accept", accept)
				.timeout(Duration.ofMinutes(2))
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Checks the answer's total from its first field only: parsing megabytes of JSON here
	 * would time this client, not the service (the item count is checked by the tests and
	 * by the NDJSON line count below).
	 */
	private static void expectTotal(HttpResponse<String> response, int total) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
		}
		java.util.regex.Matcher prefix = TOTAL.matcher(response.body());
		int items = prefix.lookingAt() ? Integer.parseInt(prefix.group(1)) : -1;
		if (items != total) {
			throw new IllegalStateException("total " + items + ", expected " + total);
		}
	}

	private static long timedUnchecked(Runnable action) {
		long t0 = System.nanoTime();
		action.run();
		return System.nanoTime() - t0;
	}

	private static long timed(Action action) throws Exception {
		long t0 = System.nanoTime();
		action.run();
		return System.nanoTime() - t0;
	}

	static long percentile(List<Long> values, int percentile) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	private void section(String title) {
		this.report.add("");
		this.report.add("### " + title);
		this.report.add("");
		this.report.add("| Measure | Value | Notes |");
		this.report.add("|---|---|---|");
	}

	private void row(String measure, String value, String notes) {
		this.report.add("| " + measure + " | " + value + " | " + notes + " |");
	}

	private void verdict(String target, boolean met) {
		this.verdicts.add("| " + target + " | " + (met ? "met" : "**missed**") + " |");
	}

	private Path write() throws IOException {
		Settings s = this.settings;
		List<String> lines = new ArrayList<>();
		lines.add("# Benchmarks");
		lines.add("");
		lines.add("Generated by `./mvnw -Pbenchmark verify` (`dev.savedtracks.benchmark.BenchmarkRunner`) on "
				+ DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0))
				+ " UTC. Do not edit by hand: run the command again.");
		lines.add("");
		lines.add("## Machine and settings");
		lines.add("");
		lines.add("- CPU: " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores; memory " + memory());
		lines.add("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		lines.add("- Service: " + (s.full() ? "its own JVM with `-Xmx" + s.heap() + "`" : "inside the benchmark's JVM")
				+ ", H2 on disk, page concurrency C = " + s.concurrency()
				+ "; the emulator runs in the benchmark's JVM and every load generator on the same machine.");
		lines.add("- Sections 1-6: no request budget (`SPOTIFY_REQUEST_BUDGET=unlimited`), no recheck throttle "
				+ "(`LIBRARY_MIN_RECHECK=0s`), no warm-up. Sections 7-10: the budget set to the emulator's rolling-window "
				+ "limit of B requests/s over 30 s, other settings as deployed (warm-up off). Section 11: no budget.");
		lines.add("- Emulator latency per Spotify request: " + s.latencyMs() + " ms. Library: " + s.tracks()
				+ " tracks; memory scenario: " + s.memoryTracks() + " tracks.");
		if (!s.full()) {
			lines.add("- Smoke run: its figures judge nothing. Few repeats and little warm-up; the services run "
					+ "inside the benchmark's JVM (a start costs a third of the CPU of a JVM of their own), so heap "
					+ "figures and limits are that JVM's; section 11 on the service of sections 1-6 and, with "
					+ "a PostgreSQL, sections 7-9 on one of the replicas of section 10; `LIBRARY_MIN_RECHECK="
					+ FleetBenchmark.SMOKE_MIN_RECHECK.toSeconds() + "s` in sections 7-10.");
		}
		lines.add("- Peer: `se.michaelthelin.spotify:spotify-web-api-java`, `getUsersSavedTracks().limit(50)"
				+ ".offset(n)` one page after the other until `next` is null, against the same emulator.");
		lines.add("");
		lines.add("## Results");
		lines.addAll(this.report);
		lines.add("");
		lines.add("## Targets");
		lines.add("");
		lines.add("| Target | Result |");
		lines.add("|---|---|");
		lines.addAll(this.verdicts);
		lines.add("");
		lines.addAll(this.budgetBlock);
		lines.add("");
		Path output = s.output();
		if (output.getParent() != null) {
			Files.createDirectories(output.getParent());
		}
		lines.addAll(keptBlock(output, "soak"));
		lines.addAll(keptBlock(output, "burst"));
		Files.write(output, lines, StandardCharsets.UTF_8);
		return output;
	}

	/**
	 * A block of the report that another run writes between its markers
	 * ({@code <!-- name:begin -->} and {@code <!-- name:end -->}): the soak test's
	 * ({@code ./mvnw -Psoak verify}) and {@link BurstBenchmark}'s, kept as they are when
	 * the benchmark rewrites the file.
	 */
	private static List<String> keptBlock(Path output, String name) throws IOException {
		if (!Files.exists(output)) {
			return List.of();
		}
		List<String> existing = Files.readAllLines(output, StandardCharsets.UTF_8);
		int begin = existing.indexOf("<!-- " + name + ":begin -->");
		int end = existing.indexOf("<!-- " + name + ":end -->");
		return (begin >= 0 && end > begin) ? existing.subList(begin, end + 1) : List.of();
	}

	private static String cpu() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter(l -> l.startsWith("model name"))
				.map(l -> l.substring(l.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String memory() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo"))
				.stream()
				.filter(l -> l.startsWith("MemTotal"))
				.map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB")
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException | NumberFormatException ex) {
			return "unknown";
		}
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	private static long mib(long bytes) {
		return bytes / (1024 * 1024);
	}

	@FunctionalInterface
	private interface Action {

		void run() throws Exception;

	}

	private record Throughput(int requests, long errors, double perSecond, long p99, String generator) {
	}

	/**
	 * How often each measured call is repeated, and how much the service is warmed up
	 * first: the full run's figures, or a smoke run's few calls that only keep each path
	 * working.
	 */
	private record Repeats(int coldRuns, int revalidations, int memoryReads, int mcpWarmUpCalls, int mcpCalls,
			int mcpStatsCalls, int warmUpPeople, int warmUpRounds, int warmUpWindows) {

		static final Repeats FULL = new Repeats(3, 10, 10, 300, 200, 30, 3, 30, 2000);

		static final Repeats SMOKE = new Repeats(2, 3, 3, 5, 10, 3, 1, 2, 10);

	}

	/** Benchmark settings; every one a system property {@code bench.<name>}. */
	public record Settings(int tracks, int latencyMs, int concurrency, int warmReads, int throughputSeconds,
			int throughputWarmUpSeconds, int throughputThreads, int memoryTracks, String heap, Path output) {

		public static Settings fromSystemProperties() {
			return new Settings(Integer.getInteger("bench.tracks", 10_000), Integer.getInteger("bench.latencyMs", 100),
					Integer.getInteger("bench.concurrency", 8), Integer.getInteger("bench.warmReads", 50),
					Integer.getInteger("bench.throughputSeconds", 10),
					Integer.getInteger("bench.throughputWarmUpSeconds", 20),
					Integer.getInteger("bench.throughputThreads", 8), Integer.getInteger("bench.memoryTracks", 50_000),
					System.getProperty("bench.heap", "256m"),
					Path.of(System.getProperty("bench.output", "docs/benchmarks.md")));
		}

		/**
		 * Whether these are the full benchmark's settings (a library of 10,000 tracks or
		 * more) rather than a smoke run's tiny ones, which keep the code working and
		 * measure nothing.
		 */
		public boolean full() {
			return this.tracks >= 10_000;
		}

		/**
		 * Starts a service listening on {@code port}: in the full benchmark in a JVM of
		 * its own with the heap limit, as deployed, its output in a temporary file named
		 * after {@code logName}; in a smoke run, which judges no figure, inside this JVM.
		 */
		RunningService startService(int port, Map<String, String> properties, String logName) throws IOException {
			if (!full()) {
				Map<String, String> inProcess = new LinkedHashMap<>(properties);
				inProcess.put("server.port", Integer.toString(port));
				return InProcessService.start(inProcess);
			}
			Path log = Files.createTempFile(logName, ".log");
			return ServiceProcess.start(port, List.of("-Xmx" + this.heap), properties, log);
		}

	}

}
