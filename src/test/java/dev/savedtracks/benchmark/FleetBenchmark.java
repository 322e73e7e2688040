package dev.savedtracks.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.PostgresDatabase;
import dev.savedtracks.RunningService;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The benchmark's sections about many people sharing one Spotify app (issue 14): the
 * app-wide request budget under a rolling-window limit of B requests per second, fairness
 * to a small library while large ones sync, the {@code refresh=true} throttle, two
 * replicas sharing one budget through PostgreSQL, and one 100,000-track library under
 * {@code -Xmx256m}. Each scenario runs against services of its own, started here, and the
 * same emulator as the rest of the benchmark. Its own settings are system properties:
 * {@code bench.budgetPerSecond} (B, default 50), {@code bench.people} (default 50),
 * {@code bench.postgresUrl} (default {@code TEST_POSTGRES_URL}, else the local server).
 */
final class FleetBenchmark {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * A smoke run's {@code LIBRARY_MIN_RECHECK} (the full run's is the deployed default,
	 * 10 s): section 9 waits it out once before its refreshes.
	 */
	static final Duration SMOKE_MIN_RECHECK = Duration.ofSeconds(1);

	private static final Duration MIN_RECHECK = Duration.ofSeconds(10);

	private static final int REFRESHES = 20;

	private final BenchmarkRunner.Settings settings;

	private final SpotifyEmulator spotify;

	private final List<String> report = new ArrayList<>();

	private final List<String> verdicts = new ArrayList<>();

	private final List<String> largeReport = new ArrayList<>();

	private final List<String> largeVerdicts = new ArrayList<>();

	private boolean largeDone;

	private final int budgetPerSecond;

	private final int people;

	private final boolean full;

	FleetBenchmark(BenchmarkRunner.Settings settings, SpotifyEmulator spotify) {
		this.settings = settings;
		this.spotify = spotify;
		this.full = settings.full();
		this.budgetPerSecond = Integer.getInteger("bench.budgetPerSecond", 50);
		this.people = Integer.getInteger("bench.people", this.full ? 50 : 6);
	}

	/** The report's sections 7 to 11, in order. */
	List<String> report() {
		List<String> all = new ArrayList<>(this.report);
		all.addAll(this.largeReport);
		return all;
	}

	List<String> verdicts() {
		List<String> all = new ArrayList<>(this.verdicts);
		all.addAll(this.largeVerdicts);
		return all;
	}

	/**
	 * Every scenario, in order, each on services of its own; in a smoke run, sections 7-9
	 * on one of section 10's two replicas, and section 11 only unless
	 * {@link #largeLibrary(RunningService, int)} ran it already.
	 */
	void run() throws Exception {
		if (this.full) {
			try (RunningService service = start(budgeted("jdbc:h2:file:" + tempDb("fleet")))) {
				manyPeopleOneBudget(service);
			}
		}
		twoReplicas(!this.full);
		if (!this.largeDone) {
			largeLibrary();
		}
	}

	/**
	 * 50 people, a small person among three large libraries, 20 refreshes: one service,
	 * one budget.
	 */
	private void manyPeopleOneBudget(RunningService service) throws Exception {
		int smallRepeats = this.full ? 10 : 3;
		Duration minRecheck = this.full ? MIN_RECHECK : SMOKE_MIN_RECHECK;
		try {
			this.spotify.latency(Duration.ofMillis(this.settings.latencyMs()));
			this.spotify.rateLimit(windowRequests(), Duration.ofSeconds(30));

			// 1. 50 people signing in within one second.
			Load load = signInAll(List.of(service), "fleet");
			section("7. " + this.people + " people signing in within one second, libraries of " + smallest() + " to "
					+ largest() + " tracks, under a rolling-window limit of B = " + this.budgetPerSecond
					+ " requests/s (`SPOTIFY_REQUEST_BUDGET=" + budgetSetting() + "`)");
			loadRows(load, "target ≤ 1.2×");
			this.verdicts.add(verdict("every library of the " + this.people + " people complete",
					load.completed() == this.people));
			this.verdicts.add(verdict("50 people: total time within 1.2× of total pages / B", load.ratio() <= 1.2));
			this.verdicts.add(verdict("50 people: 429s at most 1 % of requests", load.rateLimitedShare() <= 0.01));

			// 2. A 50-track person signing in while three 10,000-track libraries sync.
			this.spotify.rateLimit(windowRequests(), Duration.ofSeconds(30));
			List<CompletableFuture<HttpResponse<String>>> large = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				EmulatedUser user = user("fleet-large-" + i, largest());
				BrowserSession browser = new BrowserSession(service.url());
				browser.signIn(user.id());
				large.add(CompletableFuture.supplyAsync(() -> browser.api(service.url() + "/api/saved-tracks")));
			}
			// Until the large syncs are under way (a smoke run's are over sooner).
			Thread.sleep(this.full ? 2000 : 200);
			List<Long> smallTimes = new ArrayList<>();
			int stillSyncing = 0;
			for (int i = 0; i < smallRepeats; i++) {
				EmulatedUser small = user("fleet-small-" + i, 50);
				long t0 = System.nanoTime();
				BrowserSession browser = new BrowserSession(service.url());
				browser.signIn(small.id());
				expectTotal(browser.api(service.url() + "/api/saved-tracks"), 50);
				smallTimes.add(System.nanoTime() - t0);
				stillSyncing += (int) large.stream().filter(sync -> !sync.isDone()).count() > 0 ? 1 : 0;
				Thread.sleep(this.full ? 500 : 100);
			}
			for (CompletableFuture<HttpResponse<String>> sync : large) {
				expectTotal(sync.get(), largest());
			}
			long p95 = BenchmarkRunner.percentile(smallTimes, 95);
			section("8. A 50-track person signing in while three " + largest() + "-track libraries sync (same budget)");
			row("Sign-in and first answer, p95 of " + smallRepeats, ms(p95),
					"target < 3 s; median " + ms(BenchmarkRunner.percentile(smallTimes, 50)) + ", slowest "
							+ ms(Collections.max(smallTimes)) + "; " + stillSyncing + " of " + smallRepeats
							+ " answered while the large libraries were still syncing");
			this.verdicts
				.add(verdict("small person among three large syncs answered < 3 s (p95)", p95 < 3_000_000_000L));

			// 3. 20 sequential refresh=true calls by one caller.
			EmulatedUser caller = user("fleet-refresher", 200);
			BrowserSession browser = new BrowserSession(service.url());
			browser.signIn(caller.id());
			expectTotal(browser.api(service.url() + "/api/saved-tracks"), 200);
			// Until the first sync's check is LIBRARY_MIN_RECHECK old: the first refresh
			// asks Spotify.
			Thread.sleep(minRecheck.toMillis() + 500);
			this.spotify.counters().reset();
			long t0 = System.nanoTime();
			int throttled = 0;
			for (int i = 0; i < REFRESHES; i++) {
				HttpResponse<String> answer = browser.api(service.url() + "/api/saved-tracks?refresh=true");
				expectTotal(answer, 200);
				throttled += answer.headers().firstValue("X-Library-Throttled").isPresent() ? 1 : 0;
			}
			long took = System.nanoTime() - t0;
			int requests = this.spotify.counters().tracksRequests(caller.id());
			section("9. " + REFRESHES + " sequential `refresh=true` calls by one caller (`LIBRARY_MIN_RECHECK="
					+ minRecheck.toSeconds() + "s`)");
			row("Spotify requests", Integer.toString(requests), "target ≤ 2; the calls took " + ms(took) + "; "
					+ throttled + " answered from the copy with `X-Library-Throttled: recheck`");
			this.verdicts
				.add(verdict("20 refresh=true calls within " + minRecheck.toSeconds() + " s cost ≤ 2 Spotify requests",
						requests <= 2 && took < minRecheck.toNanos()));
		}
		finally {
			this.spotify.noRateLimit();
			this.spotify.latency(Duration.ZERO);
		}
	}

	/**
	 * The same load as section 7 through two replicas sharing one PostgreSQL database and
	 * so one budget. With {@code sectionsSevenToNine} (a smoke run: a service start-up
	 * fewer), sections 7-9 run first on one of them, whose settings are section 7's; on
	 * H2 alone if there is no PostgreSQL.
	 */
	private void twoReplicas(boolean sectionsSevenToNine) throws Exception {
		String admin = postgresAdmin();
		String name = databaseName();
		try {
			execute(admin, "create database " + name);
		}
		catch (SQLException ex) {
			if (sectionsSevenToNine) {
				try (RunningService service = start(budgeted("jdbc:h2:file:" + tempDb("fleet")))) {
					manyPeopleOneBudget(service);
				}
			}
			replicasNotRun(admin, ex);
			return;
		}
		try {
			Map<String, String> properties = replicaProperties(admin, name);
			try (RunningService one = start(properties); RunningService two = start(properties)) {
				if (sectionsSevenToNine) {
					manyPeopleOneBudget(one);
				}
				replicasLoad(one, two);
			}
		}
		finally {
			dropDatabase(admin, name);
		}
	}

	private void replicasLoad(RunningService one, RunningService two) throws Exception {
		try {
			this.spotify.latency(Duration.ofMillis(this.settings.latencyMs()));
			this.spotify.rateLimit(windowRequests(), Duration.ofSeconds(30));
			Load load = signInAll(List.of(one, two), "pair");
			section("10. Two replicas on one PostgreSQL database, the same load as section 7 (half the people "
					+ "through each)");
			loadRows(load, "for information: the target of this section is the 429 share");
			this.verdicts.add(verdict("two replicas: every library complete", load.completed() == this.people));
			this.verdicts.add(verdict("two replicas: 429s at most 1 % of requests", load.rateLimitedShare() <= 0.01));
		}
		finally {
			this.spotify.noRateLimit();
			this.spotify.latency(Duration.ZERO);
		}
	}

	private void replicasNotRun(String admin, SQLException ex) {
		section("10. Two replicas, the same load");
		row("Not run", "—", "no PostgreSQL at " + admin + " (" + ex.getMessage() + "); set bench.postgresUrl");
		this.verdicts.add("| two replicas: 429s at most 1 % | **not run** (no PostgreSQL) |");
	}

	static String postgresAdmin() {
		return System.getProperty("bench.postgresUrl",
				PostgresDatabase.fromEnvironment() ? System.getenv(PostgresDatabase.ENVIRONMENT_VARIABLE)
						: "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
	}

	/**
	 * The user of {@link #postgresAdmin()}: {@code TEST_POSTGRES_USER} with
	 * {@code TEST_POSTGRES_URL}, else the local server's {@code postgres} (never a
	 * Testcontainers container's: the benchmark does not start one).
	 */
	static String postgresUser() {
		return PostgresDatabase.fromEnvironment() ? PostgresDatabase.username() : "postgres";
	}

	private static String postgresPassword() {
		return PostgresDatabase.fromEnvironment() ? PostgresDatabase.password() : "";
	}

	static String databaseName() {
		return "savedtracks_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	private Map<String, String> replicaProperties(String admin, String name) {
		Map<String, String> properties = budgeted(PostgresDatabase.withDatabase(admin, name));
		properties.put("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
		if (!admin.contains("user=")) {
			properties.put("spring.datasource.username", postgresUser());
		}
		return properties;
	}

	static void dropDatabase(String admin, String name) {
		try {
			execute(admin, "drop database if exists " + name + " with (force)");
		}
		catch (SQLException ex) {
			System.err.println("Could not drop benchmark database " + name + ": " + ex.getMessage());
		}
	}

	/**
	 * One library of twice the memory scenario's size (100,000 tracks) under the heap
	 * limit, no budget.
	 */
	private void largeLibrary() throws Exception {
		Map<String, String> properties = properties("jdbc:h2:file:" + tempDb("large"));
		properties.put("spotify.request-budget", "unlimited");
		int managementPort = TestSupport.freePort();
		properties.put("management.server.port", Integer.toString(managementPort));
		try (RunningService service = start(properties)) {
			largeLibrary(service, managementPort);
		}
	}

	/**
	 * Section 11 on {@code service}, a service without a budget limit whose management
	 * server listens on {@code managementPort}.
	 */
	void largeLibrary(RunningService service, int managementPort) throws Exception {
		int tracks = 2 * this.settings.memoryTracks();
		this.largeDone = true;
		try {
			HeapSampler heap = new HeapSampler("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
			heap.start();
			EmulatedUser user = user("large", tracks);
			BrowserSession browser = new BrowserSession(service.url());
			browser.signIn(user.id());
			String key = json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"benchmark\"}").body())
				.get("key")
				.asString();
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			String url = service.url() + "/api/saved-tracks";
			this.spotify.latency(Duration.ofMillis(this.settings.latencyMs()));
			this.spotify.counters().reset();
			long t0 = System.nanoTime();
			long coldItems = drain(client, url, key, "application/json");
			long cold = System.nanoTime() - t0;
			int requests = this.spotify.counters().tracksRequests();
			this.spotify.latency(Duration.ZERO);
			List<Long> jsonReads = new ArrayList<>();
			List<Long> ndjsonReads = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				long r0 = System.nanoTime();
				expect(drain(client, url, key, "application/json"), tracks, "JSON total");
				jsonReads.add(System.nanoTime() - r0);
				r0 = System.nanoTime();
				expect(drain(client, url, key, "application/x-ndjson"), tracks, "NDJSON lines");
				ndjsonReads.add(System.nanoTime() - r0);
			}
			HeapSampler.Peaks peaks = heap.stop();
			int pages = (tracks + 49) / 50;
			long ideal = (1 + (long) Math.ceil((pages - 1) / (double) this.settings.concurrency()))
					* this.settings.latencyMs() * 1_000_000L;
			section(this.largeReport,
					"11. One " + tracks + "-track library with -Xmx" + this.settings.heap() + ", no budget limit ("
							+ this.settings.latencyMs() + " ms per Spotify request, C = " + this.settings.concurrency()
							+ ")");
			row(this.largeReport, "Cold sync and answer", ms(cold),
					requests + " Spotify requests; ideal for C " + ms(ideal) + "; ratio "
							+ String.format(Locale.ROOT, "%.2f×", cold / (double) ideal) + " (target ≤ 1.3×)");
			row(this.largeReport, "Whole-library JSON reads, median of 5",
					ms(BenchmarkRunner.percentile(jsonReads, 50)),
					"target < 1 s; slowest " + ms(Collections.max(jsonReads)) + "; " + coldItems + " tracks");
			row(this.largeReport, "Whole-library NDJSON reads, median of 5",
					ms(BenchmarkRunner.percentile(ndjsonReads, 50)),
					"target < 1 s; slowest " + ms(Collections.max(ndjsonReads)));
			row(this.largeReport, "Peak heap after GC (long-lived data after a collection)",
					(peaks.liveBytesAfterGc() > 0) ? mib(peaks.liveBytesAfterGc()) + " MiB"
							: "— (no old-generation collection ran)",
					"of " + this.settings.heap() + "; peak in use including garbage " + mib(peaks.heapBytes())
							+ " MiB; longest GC pause "
							+ String.format(Locale.ROOT, "%.0f ms", peaks.longestGcPauseMillis())
							+ "; no OutOfMemoryError");
			this.largeVerdicts
				.add(verdict(tracks + " tracks: cold sync within 1.3× of ideal for C", cold <= 1.3 * ideal));
			this.largeVerdicts.add(verdict(tracks + " tracks: whole-library JSON read median < 1 s",
					BenchmarkRunner.percentile(jsonReads, 50) < 1_000_000_000L));
			this.largeVerdicts.add(verdict(tracks + " tracks: whole-library NDJSON read median < 1 s",
					BenchmarkRunner.percentile(ndjsonReads, 50) < 1_000_000_000L));
			this.largeVerdicts.add(verdict(tracks + " tracks: no OutOfMemoryError, every answer complete", true));
		}
		finally {
			this.spotify.latency(Duration.ZERO);
		}
	}

	/**
	 * Each person signs in (started 1 s / people apart, round-robin over the replicas)
	 * and reads their library.
	 */
	private Load signInAll(List<RunningService> replicas, String prefix) throws Exception {
		List<EmulatedUser> users = new ArrayList<>();
		long pages = 0;
		for (int i = 0; i < this.people; i++) {
			int size = size(i);
			users.add(user(prefix + "-" + i, size));
			pages += (size + 49) / 50;
		}
		this.spotify.counters().reset();
		ExecutorService pool = Executors.newFixedThreadPool(this.people);
		long t0 = System.nanoTime();
		List<CompletableFuture<String>> done = new ArrayList<>();
		try {
			for (int i = 0; i < this.people; i++) {
				EmulatedUser user = users.get(i);
				RunningService replica = replicas.get(i % replicas.size());
				long startAt = t0 + i * (1_000_000_000L / this.people);
				done.add(CompletableFuture.supplyAsync(() -> {
					sleepUntil(startAt);
					BrowserSession browser = new BrowserSession(replica.url());
					HttpResponse<String> landed = browser.signIn(user.id());
					if (landed.uri().getPath().startsWith("/signin-error")) {
						return "sign-in ended on " + landed.uri().getPath() + "?" + landed.uri().getQuery();
					}
					return readUntilComplete(browser, replica.url() + "/api/saved-tracks", user.library().size());
				}, pool));
			}
			int completed = 0;
			List<String> incomplete = new ArrayList<>();
			for (CompletableFuture<String> person : done) {
				String why = person.get();
				if (why == null) {
					completed++;
				}
				else {
					incomplete.add(why);
				}
			}
			long took = System.nanoTime() - t0;
			int tracksRequests = this.spotify.counters().tracksRequests();
			int meRequests = this.spotify.counters().meRequests();
			int limited = this.spotify.counters().rateLimitedRequests();
			return new Load(completed, pages, took, tracksRequests + meRequests, limited, this.budgetPerSecond,
					incomplete);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private void loadRows(Load load, String ratioNote) {
		long ideal = load.pages() * 1_000_000_000L / this.budgetPerSecond;
		row("Total time, first sign-in to last library complete", ms(load.took()),
				load.completed() + " of " + this.people + " libraries complete"
						+ (load.incomplete().isEmpty() ? "" : "; the others: " + String.join("; ", load.incomplete())));
		row("Budget-limited ideal, total pages / B", ms(ideal),
				load.pages() + " pages / " + this.budgetPerSecond + " per s");
		row("Spotify requests (pages and sign-ins' `/v1/me`)", Long.toString(load.requests()), "");
		row("429s", Integer.toString(load.rateLimited()),
				String.format(Locale.ROOT, "%.2f %% of requests (target ≤ 1 %%)", 100 * load.rateLimitedShare()));
		this.report.add("");
		this.report.add(String.format(Locale.ROOT, "Total / ideal = **%.2f×** (%s).", load.ratio(), ratioNote));
	}

	/**
	 * Reads the library, retrying after 503 (a sync still running past LIBRARY_SYNC_WAIT)
	 * for up to 5 minutes; {@code null} when the whole library came, otherwise why not
	 * (for the report).
	 */
	private static @Nullable String readUntilComplete(BrowserSession browser, String url, int total) {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline) {
			HttpResponse<String> answer = browser.api(url);
			if (answer.statusCode() == 200) {
				int served = json.readTree(answer.body()).get("total").asInt();
				return (served == total) ? null : "served " + served + " of " + total + " tracks";
			}
			if (answer.statusCode() != 503) {
				String body = answer.body();
				return "answered " + answer.statusCode() + " "
						+ body.substring(0, Math.min(body.length(), 160)).replaceAll("\\s+", " ");
			}
			sleepUntil(System.nanoTime() + 1_000_000_000L);
		}
		return "still 503 after 5 minutes";
	}

	/**
	 * Streams an answer, checking its total (JSON) or counting its lines (NDJSON),
	 * without keeping it.
	 */
	private static long drain(HttpClient client, String url, String key, String accept) throws Exception {
		HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + key)
			.header("Accept", accept)
			.timeout(Duration.ofMinutes(3))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("status " + response.statusCode());
		}
		try (InputStream body = response.body()) {
			byte[] buffer = new byte[1 << 16];
			if (accept.equals("application/x-ndjson")) {
				long lines = 0;
				for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
					for (int i = 0; i < n; i++) {
						lines += (buffer[i] == '\n') ? 1 : 0;
					}
				}
				return lines;
			}
			byte[] head = body.readNBytes(64);
			String prefix = new String(head, StandardCharsets.UTF_8);
			java.util.regex.Matcher total = java.util.regex.Pattern.compile("\\{\"total\":(\\d+),").matcher(prefix);
			while (body.read(buffer) >= 0) {
				// drained
			}
			return total.lookingAt() ? Long.parseLong(total.group(1)) : -1;
		}
	}

	private static void expect(long actual, long expected, String what) {
		if (actual != expected) {
			throw new IllegalStateException(what + " " + actual + ", expected " + expected);
		}
	}

	private static void expectTotal(HttpResponse<String> response, int total) {
		if (response.statusCode() != 200 || json.readTree(response.body()).get("total").asInt() != total) {
			throw new IllegalStateException("status " + response.statusCode() + ": "
					+ response.body().substring(0, Math.min(300, response.body().length())));
		}
	}

	/**
	 * Library sizes spread geometrically from 50 to the largest, as real libraries are
	 * (most are small).
	 */
	private int size(int person) {
		if (this.people == 1) {
			return largest();
		}
		double ratio = Math.pow(largest() / (double) smallest(), 1.0 / (this.people - 1));
		return (int) Math.round(smallest() * Math.pow(ratio, person));
	}

	private int smallest() {
		return Math.min(50, largest());
	}

	private int largest() {
		return this.settings.tracks();
	}

	/**
	 * The emulator's limit and the budget: B per second over Spotify's 30-second window.
	 */
	private int windowRequests() {
		return this.budgetPerSecond * 30;
	}

	private String budgetSetting() {
		return windowRequests() + "/30s";
	}

	private EmulatedUser user(String name, int tracks) {
		return this.spotify.user("bench-" + name + "-" + Long.toHexString(System.nanoTime())).generateLibrary(tracks);
	}

	/**
	 * Section 7's service: the budget, and otherwise as deployed but for a smoke run's
	 * shorter {@code LIBRARY_MIN_RECHECK}.
	 */
	private Map<String, String> budgeted(String databaseUrl) {
		Map<String, String> properties = properties(databaseUrl);
		properties.put("spotify.request-budget", budgetSetting());
		if (!this.full) {
			properties.put("library.min-recheck", SMOKE_MIN_RECHECK.toSeconds() + "s");
		}
		return properties;
	}

	private Map<String, String> properties(String databaseUrl) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spotify.client-id", this.spotify.clientId());
		properties.put("spotify.client-secret", this.spotify.clientSecret());
		properties.put("spotify.accounts-url", this.spotify.accountsUrl());
		properties.put("spotify.api-url", this.spotify.apiUrl());
		properties.put("spotify.page-concurrency", Integer.toString(this.settings.concurrency()));
		properties.put("token.encryption.key", TestSupport.randomKey());
		properties.put("spring.datasource.url", databaseUrl);
		properties.put("logging.level.root", "WARN");
		// Measured here: the budget, fairness and throttles as deployed, without
		// background revalidations.
		properties.put("library.warm-up", "false");
		return properties;
	}

	private RunningService start(Map<String, String> properties) throws IOException {
		int port = TestSupport.freePort();
		this.spotify.allowRedirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/spotify");
		return this.settings.startService(port, properties, "benchmark-fleet");
	}

	private static String tempDb(String name) throws IOException {
		return Files.createTempDirectory("benchmark-" + name).resolve("db").toAbsolutePath().toString();
	}

	static void execute(String jdbcUrl, String sql) throws SQLException {
		java.util.Properties properties = new java.util.Properties();
		if (!jdbcUrl.contains("user=")) {
			properties.setProperty("user", postgresUser());
		}
		if (!postgresPassword().isEmpty()) {
			properties.setProperty("password", postgresPassword());
		}
		try (Connection connection = DriverManager.getConnection(jdbcUrl, properties);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static void sleepUntil(long nanoTime) {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			try {
				Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void section(String title) {
		section(this.report, title);
	}

	private static void section(List<String> report, String title) {
		report.add("");
		report.add("### " + title);
		report.add("");
		report.add("| Measure | Value | Notes |");
		report.add("|---|---|---|");
	}

	private void row(String measure, String value, String notes) {
		row(this.report, measure, value, notes);
	}

	private static void row(List<String> report, String measure, String value, String notes) {
		report.add("| " + measure + " | " + value + " | " + notes + " |");
	}

	private static String verdict(String target, boolean met) {
		return "| " + target + " | " + (met ? "met" : "**missed**") + " |";
	}

	private static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	private static long mib(long bytes) {
		return bytes / (1024 * 1024);
	}

	/** What one load of many people gave. */
	private record Load(int completed, long pages, long took, long requests, int rateLimited, int budgetPerSecond,
			List<String> incomplete) {

		double ratio() {
			return this.took / (this.pages * 1e9 / this.budgetPerSecond);
		}

		double rateLimitedShare() {
			return (this.requests == 0) ? 0 : this.rateLimited / (double) this.requests;
		}

	}

}
