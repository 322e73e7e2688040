package dev.savedtracks.benchmark;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.InProcessService;
import dev.savedtracks.PostgresDatabase;
import dev.savedtracks.RunningService;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.RequestRecord;
import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The benchmark's section 12 (issue 26): what a person gets with the default request
 * budget ({@code SPOTIFY_REQUEST_BUDGET=150/30s}), under the emulator's rolling-window
 * limit of the same size. One person's first sync of 2,000, 7,000 and 10,000 tracks
 * against the physical limit under a rolling window (concurrency-bound while the window
 * has room, then one window later), a 50-track person signing in one second after a
 * 10,000-track first sync began, and a storm of 12 people needing full syncs at once (197
 * pages), on one replica and on two sharing PostgreSQL. Each scenario starts with an
 * empty window: the benchmark waits a window between them. A smoke run uses a budget of
 * 20/1s and libraries scaled down, and judges nothing. Its block of the report sits
 * between markers, so that {@code -Dbench.only=budget} can measure it alone.
 */
final class BudgetBenchmark {

	static final String BEGIN = "<!-- budget:begin -->";

	static final String END = "<!-- budget:end -->";

	/** The storm's libraries: 197 pages. */
	private static final int[] STORM = { 50, 100, 200, 300, 500, 700, 900, 1200, 1400, 1600, 1500, 1400 };

	private static final JsonMapper json = JsonMapper.builder().build();

	/** First syncs of 7,000 tracks that warm a service up, a window apart. */
	private static final int WARM_UP_SYNCS = 4;

	/**
	 * {@code -Dbench.only=alone}: the one-person first syncs only, printed rather than
	 * written to the report (about three minutes instead of fourteen), to try a change of
	 * the sync's path.
	 */
	static final boolean ALONE = "alone".equals(System.getProperty("bench.only"));

	private final BenchmarkRunner.Settings settings;

	private final SpotifyEmulator spotify;

	private final boolean full;

	/** The budget and Spotify's limit: requests per window. */
	private final int budget;

	private final Duration window;

	private final List<String> report = new ArrayList<>();

	private final List<String> verdicts = new ArrayList<>();

	/** The one-replica service's Prometheus endpoint: how long its requests waited. */
	private String metrics = "";

	BudgetBenchmark(BenchmarkRunner.Settings settings, SpotifyEmulator spotify) {
		this.settings = settings;
		this.spotify = spotify;
		this.full = settings.full();
		this.budget = this.full ? 150 : 20;
		// A smoke run's windows are short: it waits one out before each of its four
		// scenarios.
		this.window = this.full ? Duration.ofSeconds(30) : Duration.ofSeconds(1);
	}

	/** The section and its targets, between the markers. */
	List<String> block() {
		List<String> lines = new ArrayList<>();
		lines.add(BEGIN);
		lines.addAll(this.report);
		lines.add("");
		lines.add("| Target (section 12) | Result |");
		lines.add("|---|---|");
		lines.addAll(this.verdicts);
		lines.add(END);
		return lines;
	}

	void run() throws Exception {
		this.report.add("");
		this.report.add("### 12. With the default request budget (`SPOTIFY_REQUEST_BUDGET=" + budgetSetting()
				+ "`), under Spotify's rolling window of the same size (" + this.settings.latencyMs()
				+ " ms per Spotify request, C = " + this.settings.concurrency() + ")");
		this.report.add("");
		this.report.add("Each scenario starts with an empty window (the benchmark waits one out between them), "
				+ "on a service warmed up by " + WARM_UP_SYNCS
				+ " other people's 7000-track first syncs under the same latency and limit, a window apart ("
				+ WARM_UP_SYNCS * pages(scaled(7000))
				+ " pages; section 1 warms up with 600), and the two replicas by one each. Times run from the request to the last byte of its answer. "
				+ "The rolling-window limit: concurrency-bound while the window has room, the rest one window later. "
				+ "Services: "
				+ (Boolean.getBoolean("bench.inProcess") ? "inside the benchmark's JVM" : "JVMs of their own")
				+ "; load average at the start: " + loadAverage() + ".");
		try {
			this.spotify.latency(Duration.ofMillis(this.settings.latencyMs()));
			// Spotify's window from the first warm-up on, as the section's text says.
			this.spotify.rateLimit(this.budget, this.window);
			Map<String, String> single = properties("jdbc:h2:file:" + tempDb());
			int managementPort = TestSupport.freePort();
			single.put("management.server.port", Integer.toString(managementPort));
			this.metrics = "http://127.0.0.1:" + managementPort + "/actuator/prometheus";
			try (RunningService service = start(single)) {
				warmUp(service, WARM_UP_SYNCS);
				onePerson(service);
				if (ALONE) {
					return;
				}
				storm(List.of(service), "12-person storm, one replica");
			}
			budgetOff();
			try {
				twoReplicas();
			}
			catch (IllegalStateException ex) {
				// A replica that did not start in time on a busy machine: the one-replica
				// figures stand.
				table("12-person storm, two replicas");
				row("Not run", "—", "a replica did not start: " + ex.getMessage());
				this.verdicts.add("| 12-person storm, two replicas | **not run** (a replica did not start) |");
			}
		}
		finally {
			this.spotify.noRateLimit();
			this.spotify.latency(Duration.ZERO);
		}
	}

	/**
	 * One person's first sync, each size alone; the late 50-track person with the
	 * largest.
	 */
	private void onePerson(RunningService service) throws Exception {
		table("One person's first sync, alone");
		int[] sizes = { scaled(2000), scaled(7000), scaled(10_000) };
		for (int i = 0; i < sizes.length; i++) {
			int tracks = sizes[i];
			emptyWindow();
			EmulatedUser user = user("alone-" + tracks, tracks);
			BrowserSession browser = new BrowserSession(service.url());
			browser.signIn(user.id());
			double[] waitedBefore = permitWaits();
			ServiceCpu cpu = ServiceCpu.of(service);
			long t0 = System.nanoTime();
			Instant start = Instant.now();
			CompletableFuture<HttpResponse<String>> sync = CompletableFuture
				.supplyAsync(() -> browser.api(service.url() + "/api/saved-tracks"));
			boolean largest = i == sizes.length - 1;
			long late = 0;
			if (largest) {
				// A 50-track person signs in one second after the first sync began.
				sleep(Duration.ofSeconds(1));
				EmulatedUser small = user("late", 50);
				long l0 = System.nanoTime();
				BrowserSession other = new BrowserSession(service.url());
				other.signIn(small.id());
				expectTotal(other.api(service.url() + "/api/saved-tracks"), 50);
				late = System.nanoTime() - l0;
			}
			// Timed to the answer's last byte: parsing it is the client's work.
			HttpResponse<String> answer = sync.get();
			long took = System.nanoTime() - t0;
			String used = cpu.since();
			expectTotal(answer, tracks);
			double[] waitedAfter = permitWaits();
			int pages = pages(tracks);
			int requests = this.spotify.counters().tracksRequests(user.id());
			long ideal = concurrencyIdeal(pages);
			long limit = windowLimit(pages + 1);
			boolean fits = pages + 1 <= this.budget;
			row(tracks + " tracks (" + pages + " pages)", ms(took),
					requests + " Spotify requests; unlimited ideal for C " + ms(ideal) + " (" + ratio(took, ideal)
							+ "); rolling-window limit " + ms(limit) + " (" + ratio(took, limit) + ")"
							+ (fits ? "; fits one window" : "") + "; " + pageTimes(start, user.id()) + "; at most "
							+ this.spotify.counters().maxConcurrentTracksRequests() + " in flight; "
							+ turnaround(start, user.id(), took) + "; " + waited(waitedBefore, waitedAfter, largest)
							+ used);
			if (fits) {
				this.verdicts.add(verdict(tracks + " tracks alone: within 1.3× of the unlimited ideal for C",
						took <= 1.3 * ideal));
			}
			else {
				this.verdicts.add(verdict(tracks + " tracks alone: within 1.2× of the rolling-window limit",
						took <= 1.2 * limit));
			}
			if (largest) {
				row("A 50-track person signing in 1 s after it began", ms(late),
						"sign-in and first answer; target < 3 s");
				this.verdicts.add(verdict("50-track person 1 s after a " + tracks + "-track first sync: answered < 3 s",
						late < 3_000_000_000L));
			}
		}
	}

	/**
	 * The 7000-track first sync again on a service with the budget off, at the same
	 * moment on the same machine: how much of the sync's time is the machine's pace
	 * rather than the budget's. Full runs only.
	 */
	private void budgetOff() throws Exception {
		if (!this.full) {
			return;
		}
		Map<String, String> properties = properties("jdbc:h2:file:" + tempDb());
		properties.put("spotify.request-budget", "unlimited");
		try (RunningService service = start(properties)) {
			warmUp(service, WARM_UP_SYNCS);
			emptyWindow();
			int tracks = 7000;
			EmulatedUser user = user("budget-off-" + tracks, tracks);
			BrowserSession browser = new BrowserSession(service.url());
			browser.signIn(user.id());
			long t0 = System.nanoTime();
			Instant start = Instant.now();
			HttpResponse<String> answer = browser.api(service.url() + "/api/saved-tracks");
			long took = System.nanoTime() - t0;
			expectTotal(answer, tracks);
			long ideal = concurrencyIdeal(pages(tracks));
			table("For comparison: the same first sync with the budget off (`SPOTIFY_REQUEST_BUDGET=unlimited`)");
			row(tracks + " tracks (" + pages(tracks) + " pages)", ms(took),
					this.spotify.counters().tracksRequests(user.id()) + " Spotify requests; unlimited ideal for C "
							+ ms(ideal) + " (" + ratio(took, ideal) + "); " + pageTimes(start, user.id()) + "; at most "
							+ this.spotify.counters().maxConcurrentTracksRequests() + " in flight; "
							+ turnaround(start, user.id(), took));
		}
	}

	/** 12 people needing full syncs at once, through {@code replicas} in turn. */
	private void storm(List<RunningService> replicas, String title) throws Exception {
		emptyWindow();
		List<EmulatedUser> users = new ArrayList<>();
		int pages = 0;
		for (int i = 0; i < STORM.length; i++) {
			int tracks = Math.max(1, scaled(STORM[i]));
			users.add(user("storm-" + i, tracks));
			pages += pages(tracks);
		}
		this.spotify.counters().reset();
		ExecutorService pool = Executors.newFixedThreadPool(users.size());
		try {
			long t0 = System.nanoTime();
			Instant start = Instant.now();
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int i = 0; i < users.size(); i++) {
				EmulatedUser user = users.get(i);
				RunningService replica = replicas.get(i % replicas.size());
				done.add(CompletableFuture.runAsync(() -> {
					BrowserSession browser = new BrowserSession(replica.url());
					browser.signIn(user.id());
					expectTotal(browser.api(replica.url() + "/api/saved-tracks"), user.library().size());
				}, pool));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
			long took = System.nanoTime() - t0;
			int tracksRequests = this.spotify.counters().tracksRequests();
			int all = tracksRequests + this.spotify.counters().meRequests();
			int limited = this.spotify.counters().rateLimitedRequests();
			long ideal = windowLimit(pages + users.size());
			double share = (all == 0) ? 0 : limited / (double) all;
			table(title + " (" + users.size() + " people, " + pages + " pages)");
			row("Total time, first sign-in to last library complete", ms(took),
					"budget-limited ideal " + ms(ideal) + " (" + ratio(took, ideal) + ", target ≤ 1.2×)");
			row("Page requests / pages", tracksRequests + " / " + pages, String.format(Locale.ROOT,
					"%.2f× (target ≤ 1.05×); with sign-ins %d requests", tracksRequests / (double) pages, all));
			row("Page requests over time", "—", pageTimes(start, null));
			row("429s", Integer.toString(limited), String.format(Locale.ROOT, "%.2f %% (target ≤ 1 %%)", 100 * share));
			this.verdicts.add(verdict(title + ": within 1.2× of the budget-limited ideal", took <= 1.2 * ideal));
			this.verdicts.add(verdict(title + ": requests ≤ 1.05× pages", tracksRequests <= 1.05 * pages));
			this.verdicts.add(verdict(title + ": 429s ≤ 1 %", share <= 0.01));
		}
		finally {
			pool.shutdownNow();
		}
	}

	private void twoReplicas() throws Exception {
		if (!this.full) {
			// Two more service starts would cost a smoke run (inside ./mvnw verify) too
			// much.
			table("12-person storm, two replicas");
			row("Not run", "—", "smoke run");
			return;
		}
		String admin = FleetBenchmark.postgresAdmin();
		String name = FleetBenchmark.databaseName();
		try {
			FleetBenchmark.execute(admin, "create database " + name);
		}
		catch (SQLException ex) {
			table("12-person storm, two replicas");
			row("Not run", "—", "no PostgreSQL at " + admin + "; set bench.postgresUrl");
			this.verdicts.add("| 12-person storm, two replicas | **not run** (no PostgreSQL) |");
			return;
		}
		try {
			Map<String, String> properties = properties(PostgresDatabase.withDatabase(admin, name));
			if (!admin.contains("user=")) {
				properties.put("spring.datasource.username", FleetBenchmark.postgresUser());
			}
			try (RunningService one = start(properties); RunningService two = start(properties)) {
				// One warm-up each: four would cost the section seven more windows.
				warmUp(one, 1);
				warmUp(two, 1);
				storm(List.of(one, two), "12-person storm, two replicas on one PostgreSQL");
			}
		}
		finally {
			FleetBenchmark.dropDatabase(admin, name);
		}
	}

	/**
	 * Warms the service up as a running service is (as section 1 does, with its 600
	 * pages): {@code syncs} people's first syncs of 7,000 tracks, under the measured
	 * latency and Spotify's limit, a window apart (each is 140 pages, all the budget lets
	 * through in one window), so that the measured syncs pay less for the JVM's class
	 * loading and compilation of the sync's code. The JIT compiles a method once it has
	 * run a few hundred times: code that runs once per page was still interpreted after
	 * the two 2,000-track syncs without latency (80 pages) this did before, and code that
	 * only runs with latency (pages answered apart, slots waiting) was not run at all.
	 * The JIT still compiles during the measured syncs on two cores (each row says how
	 * much of the service's CPU it took). What the last one costs of the window is waited
	 * out before each scenario.
	 */
	private void warmUp(RunningService service, int syncs) {
		for (int i = 0; i < syncs; i++) {
			if (i > 0) {
				emptyWindow();
			}
			int tracks = scaled(7000);
			EmulatedUser user = user("warm-up-" + i, tracks);
			BrowserSession browser = new BrowserSession(service.url());
			browser.signIn(user.id());
			expectTotal(browser.api(service.url() + "/api/saved-tracks"), tracks);
		}
	}

	/**
	 * Waits until this service's window and Spotify's hold nothing of the scenario
	 * before.
	 */
	private void emptyWindow() {
		sleep(this.window.plus(this.full ? Duration.ofMillis(1500) : Duration.ofMillis(500)));
		this.spotify.rateLimit(this.budget, this.window);
		this.spotify.counters().reset();
	}

	/** Pages at C at a time, after the first: the limit without a budget. */
	private long concurrencyIdeal(int pages) {
		return (1 + (long) Math.ceil(Math.max(0, pages - 1) / (double) this.settings.concurrency()))
				* this.settings.latencyMs() * 1_000_000L;
	}

	/**
	 * The physical limit of {@code requests} under a rolling window of the budget: a
	 * window's worth at once (concurrency-bound), the rest a window later.
	 */
	private long windowLimit(int requests) {
		int laterWindows = (requests - 1) / this.budget;
		int last = requests - laterWindows * this.budget;
		return laterWindows * this.window.toNanos() + concurrencyIdeal(last);
	}

	/**
	 * When the page requests reached Spotify, from the emulator's request log, relative
	 * to {@code start}: the first, the two around the longest pause (a second or more:
	 * the wait for the window to make room), and the last. Where the time of a sync goes.
	 */
	private String pageTimes(Instant start, @Nullable String userId) {
		List<Long> at = this.spotify.counters()
			.tracksRequestLog()
			.stream()
			.filter(request -> userId == null || userId.equals(request.userId()))
			.map(request -> Duration.between(start, request.receivedAt()).toMillis())
			.sorted()
			.toList();
		if (at.isEmpty()) {
			return "no page requests logged";
		}
		StringBuilder times = new StringBuilder("page requests reached Spotify at ").append(at.get(0))
			.append(" ms (first)");
		int gap = 0;
		for (int i = 1; i < at.size(); i++) {
			if (at.get(i) - at.get(i - 1) > at.get(gap + 1) - at.get(gap)) {
				gap = i - 1;
			}
		}
		if (at.size() > 1 && at.get(gap + 1) - at.get(gap) >= 1000) {
			// The wait for the window to make room.
			times.append(", the ")
				.append(gap + 1)
				.append("th at ")
				.append(at.get(gap))
				.append(" ms, the next at ")
				.append(at.get(gap + 1))
				.append(" ms");
		}
		times.append(", ").append(at.get(at.size() - 1)).append(" ms (last)");
		List<Long> refused = this.spotify.counters()
			.tracksRequestLog()
			.stream()
			.filter(request -> request.status() == 429 && (userId == null || userId.equals(request.userId())))
			.map(request -> Duration.between(start, request.receivedAt()).toMillis())
			.sorted()
			.toList();
		if (!refused.isEmpty()) {
			times.append("; 429s to page requests that reached Spotify at ").append(refused).append(" ms");
		}
		return times.toString();
	}

	/**
	 * Where a sync's time goes beyond the ideal's rounds of the latency, from the
	 * emulator's log: how long Spotify took beyond its latency to write an answer
	 * (median), how long a slot stayed idle between an answer and the next page request
	 * (median, over the requests after the first C + 1: the k-th request to arrive
	 * against the (k - C)-th answer written), and how long after Spotify's last answer
	 * the whole answer reached the benchmark ({@code took} from {@code start}).
	 */
	private String turnaround(Instant start, String userId, long took) {
		List<RequestRecord> log = this.spotify.counters()
			.tracksRequestLog()
			.stream()
			.filter(request -> userId.equals(request.userId()) && request.answeredAt() != null)
			.toList();
		if (log.isEmpty()) {
			return "no answers logged";
		}
		List<Long> arrived = log.stream().map(request -> micros(start, request.receivedAt())).sorted().toList();
		List<Long> answered = log.stream()
			.map(request -> micros(start, Objects.requireNonNull(request.answeredAt())))
			.sorted()
			.toList();
		long latency = this.settings.latencyMs() * 1000L;
		List<Long> beyond = log.stream()
			.map(request -> micros(request.receivedAt(), Objects.requireNonNull(request.answeredAt())) - latency)
			.sorted()
			.toList();
		int c = this.settings.concurrency();
		List<Long> idle = new ArrayList<>();
		for (int k = c + 1; k < arrived.size(); k++) {
			idle.add(arrived.get(k) - answered.get(k - c));
		}
		idle.sort(null);
		long tail = took / 1000 - answered.get(answered.size() - 1);
		String slots = idle.isEmpty() ? "no page request waited for a slot"
				: String.format(Locale.ROOT, "a slot stayed idle %.1f ms between an answer and the next page request",
						idle.get(idle.size() / 2) / 1000.0);
		return String.format(Locale.ROOT,
				"Spotify answered %.1f ms beyond its latency, %s (medians); the answer came %.1f ms after Spotify's "
						+ "last",
				beyond.get(beyond.size() / 2) / 1000.0, slots, tail / 1000.0);
	}

	private static long micros(Instant from, Instant to) {
		return Duration.between(from, to).toNanos() / 1000;
	}

	/**
	 * The service's {@code spotify.budget.wait} timer, summed over priorities: seconds
	 * waited for permits, and permits; zeros when it cannot be read.
	 */
	private double[] permitWaits() {
		double[] sumAndCount = new double[2];
		try {
			HttpResponse<String> scrape = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(this.metrics)).build(),
						HttpResponse.BodyHandlers.ofString());
			for (String line : scrape.body().split("\n")) {
				int index = line.startsWith("spotify_budget_wait_seconds_sum") ? 0
						: line.startsWith("spotify_budget_wait_seconds_count") ? 1 : -1;
				if (index >= 0) {
					sumAndCount[index] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// No figure: the row says so.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return sumAndCount;
	}

	/**
	 * How long the scenario's permits waited for the request budget, in all and at most.
	 */
	private static String waited(double[] before, double[] after, boolean withLatePerson) {
		double seconds = after[0] - before[0];
		long permits = Math.round(after[1] - before[1]);
		if (permits <= 0) {
			return "permit waits not read";
		}
		return String.format(Locale.ROOT, "%d permits waited %.0f ms in all for the budget (mean %.1f ms)%s", permits,
				seconds * 1000, seconds * 1000 / permits, withLatePerson ? ", the late person's included" : "");
	}

	private int scaled(int tracks) {
		return this.full ? tracks : Math.max(1, tracks * this.settings.tracks() / 10_000);
	}

	private static int pages(int tracks) {
		return (tracks + 49) / 50;
	}

	private String budgetSetting() {
		return this.budget + "/" + this.window.toSeconds() + "s";
	}

	private Map<String, String> properties(String databaseUrl) {
		Map<String, String> properties = new LinkedHashMap<>(EmulatorWiring.pointingAt(this.spotify));
		properties.put("spotify.page-concurrency", Integer.toString(this.settings.concurrency()));
		properties.put("token.encryption.key", TestSupport.randomKey());
		properties.put("spring.datasource.url", databaseUrl);
		properties.put("logging.level.root", "WARN");
		properties.put("library.warm-up", "false");
		if (!this.full) {
			// The full run measures the default; a smoke run cannot wait its windows out.
			properties.put("spotify.request-budget", budgetSetting());
		}
		return properties;
	}

	private RunningService start(Map<String, String> properties) throws IOException {
		int port = TestSupport.freePort();
		this.spotify.allowRedirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/spotify");
		if (Boolean.getBoolean("bench.inProcess")) {
			// On a machine too busy to start a JVM of its own in time: inside this one.
			Map<String, String> inProcess = new LinkedHashMap<>(properties);
			inProcess.put("server.port", Integer.toString(port));
			return InProcessService.start(inProcess);
		}
		return this.settings.startService(port, properties, "benchmark-budget");
	}

	private EmulatedUser user(String name, int tracks) {
		return this.spotify.user("bench-budget-" + name + "-" + Long.toHexString(System.nanoTime()))
			.generateLibrary(tracks);
	}

	/**
	 * The machine's load over the last minute: figures taken on a busy machine say so.
	 */
	private static String loadAverage() {
		try {
			return Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static String tempDb() throws IOException {
		return Files.createTempDirectory("benchmark-budget").resolve("db").toAbsolutePath().toString();
	}

	private static void expectTotal(HttpResponse<String> response, int total) {
		if (response.statusCode() != 200 || json.readTree(response.body()).get("total").asInt() != total) {
			throw new IllegalStateException("status " + response.statusCode() + ": "
					+ response.body().substring(0, Math.min(300, response.body().length())));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void table(String title) {
		this.report.add("");
		this.report.add("#### " + title);
		this.report.add("");
		this.report.add("| Measure | Value | Notes |");
		this.report.add("|---|---|---|");
	}

	private void row(String measure, String value, String notes) {
		String line = "| " + measure + " | " + value + " | " + notes + " |";
		this.report.add(line);
		System.out.println("budget benchmark: " + line);
	}

	private static String verdict(String target, boolean met) {
		return "| " + target + " | " + (met ? "met" : "**missed**") + " |";
	}

	private static String ratio(long took, long reference) {
		return String.format(Locale.ROOT, "%.2f×", took / (double) reference);
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

}
