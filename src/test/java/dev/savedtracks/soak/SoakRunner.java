package dev.savedtracks.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.ServiceProcess;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The soak test of issue 12: the service in a JVM of its own with a heap limit, on H2 on
 * disk, against the Spotify emulator on loopback with latency, injected 5xx and 429s and
 * an app-wide rate limit. After a pool of people has signed in, {@link MixedLoad} runs
 * its callers for a bounded time (and request count), judging every answer; then the
 * database is searched for the deleted people; then {@link MemoryScenario} asks for a
 * hundred large windows at once. The figures and verdicts go to a Markdown report
 * ({@link SoakReport}). Settings are system properties ({@code soak.*}, see
 * {@link Settings}); {@code ./mvnw -Psoak verify} runs it with the defaults through
 * {@code src/test/soak/RunSoak.java}, and {@code SoakSmokeIT} in a tiny configuration.
 */
public final class SoakRunner {

	/** Sign-ins tried per person of a set-up before the run gives up. */
	private static final int SETUP_SIGN_IN_ATTEMPTS = 5;

	/** The tables that hold a person's data, each with the column naming them. */
	static final Map<String, String> PERSONAL_TABLES = personalTables();

	private final Settings settings;

	public SoakRunner(Settings settings) {
		this.settings = settings;
	}

	/** Runs the soak test, writes its report and returns what it found. */
	public Result run() throws Exception {
		Settings s = this.settings;
		Path data = Files.createTempDirectory("soak-db");
		Path log = serviceLog();
		String database = "jdbc:h2:file:" + data.resolve("soak").toAbsolutePath() + ";AUTO_SERVER=TRUE";
		Tally tally = new Tally();
		Tally setupTally = new Tally();
		MixedLoad.Outcome mixed;
		MemoryScenario.Outcome memory;
		MetricsSampler.Peaks mixedPeaks;
		double startupSeconds;
		int reappeared;
		HostileCallers.SessionFlood flood;
		McpFlood.Outcome mcpFlood;
		HostileCallers.CrashRestart crash = null;
		Path answers = Files.createTempDirectory("soak-answers");
		try (SpotifyEmulator spotify = SpotifyEmulator.start()) {
			int port = TestSupport.freePort();
			int managementPort = TestSupport.freePort();
			spotify.allowRedirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/spotify");
			Map<String, String> properties = new LinkedHashMap<>(EmulatorWiring.pointingAt(spotify));
			properties.put("token.encryption.key", TestSupport.randomKey());
			properties.put("spring.datasource.url", database);
			properties.put("spring.datasource.username", "sa");
			properties.put("spring.datasource.password", "");
			properties.put("management.server.port", Integer.toString(managementPort));
			properties.put("library.freshness", s.freshnessSeconds() + "s");
			properties.put("library.exports-per-account", Integer.toString(s.exportsPerAccount()));
			// The emulator's app-wide limit, as an operator who knows their app's limit
			// sets it.
			properties.put("spotify.request-budget", requestBudget(s));
			if (s.databasePoolSize() > 0) {
				properties.put("spring.datasource.hikari.maximum-pool-size", Integer.toString(s.databasePoolSize()));
			}
			properties.put("logging.level.root", "WARN");
			properties.put("library.answer-files.directory", answers.toString());
			long starting = System.nanoTime();
			try (ServiceProcess service = ServiceProcess.start(port, s.serviceJvm(), properties, log)) {
				startupSeconds = (System.nanoTime() - starting) / 1e9;
				List<Person> warm;
				MetricsSampler sampler = new MetricsSampler(
						"http://127.0.0.1:" + managementPort + "/actuator/prometheus");
				try {
					Api api = new Api(service.url(), Duration.ofSeconds(s.requestTimeoutSeconds()));
					warm = warmPool(service.url(), api, spotify, setupTally);
					sampler.phase();
					McpFlood flooding = new McpFlood(service.url(), McpFlood.flooder(warm), tally,
							Duration.ofSeconds(s.requestTimeoutSeconds()));
					flooding.startDuring(s.seconds());
					try {
						mixed = new MixedLoad(s, spotify, service.url(), port, api, tally, sampler, warm).run();
					}
					finally {
						mcpFlood = flooding.stop();
					}
					mixedPeaks = sampler.phase();
					spotify.faults().clear();
					spotify.noRateLimit();
					spotify.latency(Duration.ZERO);
					spotify.tokenLatency(Duration.ZERO);
					// Whatever a deletion left running has had the request timeout to
					// finish; give it a moment more.
					Thread.sleep(2000);
					reappeared = searchDeleted(database, mixed.deleted(), tally);
					restoreBudget(database);
					memory = new MemoryScenario(s, spotify, service.url(), sampler, tally).run();
					flood = HostileCallers.floodSessions(service.url(), database);
				}
				finally {
					sampler.stop();
				}
				// Not in the smoke run of ./mvnw verify: a second start-up would double
				// its
				// time.
				if (s.seconds() >= 20) {
					Path restartLog = log.resolveSibling("soak-service-restart.log");
					crash = HostileCallers.crashAndRestart(service, answers,
							() -> ServiceProcess.start(port, s.serviceJvm(), properties, restartLog),
							warm.subList(0, Math.min(10, warm.size())));
				}
			}
		}
		deleteRecursively(data);
		deleteRecursively(answers);
		ServiceLog serviceLog = ServiceLog.scan(log);
		Result result = new Result(s, startupSeconds, mixed, mixedPeaks, memory, reappeared, serviceLog, tally,
				setupTally, s.output(), flood, mcpFlood, crash);
		SoakReport.write(result);
		return result;
	}

	/**
	 * The pool the warm, window, export and storm callers read: people signed in and
	 * synced before the clock starts.
	 */
	private List<Person> warmPool(String appUrl, Api api, SpotifyEmulator spotify, Tally setupTally) throws Exception {
		Settings s = this.settings;
		Random random = new Random(s.seed());
		ExecutorService setup = Executors.newFixedThreadPool(4);
		try {
			List<Future<Person>> signedIn = new ArrayList<>();
			for (int i = 0; i < s.warmPeople(); i++) {
				int size = s.warmTracksMin() + random.nextInt(Math.max(1, s.warmTracksMax() - s.warmTracksMin()));
				Person person = new Person(spotify.user("warm-" + i).generateLibrary(size));
				signedIn.add(setup.submit(() -> signInAndSync(appUrl, api, person, setupTally)));
			}
			List<Person> pool = new ArrayList<>();
			for (Future<Person> person : signedIn) {
				pool.add(person.get());
			}
			return pool;
		}
		finally {
			setup.shutdownNow();
		}
	}

	/**
	 * Signs a person in, creates a key and waits until their library is synced; for
	 * set-up, so failures throw.
	 */
	static Person signInAndSync(String appUrl, Api api, Person person, Tally tally) throws InterruptedException {
		// A sign-in the service could not complete, and says so (Spotify's token
		// endpoint failing or limiting the app, as the emulator is told to), is tried
		// again a moment later, as a person would; an undocumented answer is counted as
		// a failure by the tally all the same.
		int attempt = 1;
		while (MixedLoad.signIn(appUrl, person, tally, "setup") == null) {
			if (attempt++ == SETUP_SIGN_IN_ATTEMPTS) {
				throw new IllegalStateException(
						"set-up: " + person + " could not sign in (" + SETUP_SIGN_IN_ATTEMPTS + " attempts)");
			}
			Thread.sleep(1_000);
		}
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline) {
			Answer answer = api.get(person.key(), MixedLoad.PATH + "?limit=1");
			if (answer.status() == 200) {
				person.wasServed();
				return person;
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("set-up: the library of " + person + " was not synced within 5 minutes");
	}

	/**
	 * Searches the service's database, through H2's automatic server, for rows of the
	 * people whose deletion was answered; counts each person with any as reappeared.
	 */
	private static int searchDeleted(String database, List<Person> deleted, Tally tally) throws SQLException {
		int reappeared = 0;
		try (Connection connection = DriverManager.getConnection(database, "sa", "")) {
			for (Person person : deleted) {
				List<String> found = new ArrayList<>();
				for (Map.Entry<String, String> table : PERSONAL_TABLES.entrySet()) {
					try (PreparedStatement query = connection.prepareStatement(
							"select count(*) from " + table.getKey() + " where " + table.getValue() + " = ?")) {
						query.setString(1, person.id());
						try (ResultSet rows = query.executeQuery()) {
							rows.next();
							if (rows.getLong(1) > 0) {
								found.add(table.getKey() + ": " + rows.getLong(1));
							}
						}
					}
				}
				if (!found.isEmpty()) {
					reappeared++;
					tally.fail(Tally.Failure.REAPPEARED, person + " deleted, yet at the end " + found);
				}
			}
		}
		return reappeared;
	}

	/** The emulator's app-wide limit as a request budget per 30 s. */
	static String requestBudget(Settings s) {
		return (int) ((long) s.rateLimitRequests() * 30_000 / s.rateLimitWindowMs()) + "/30s";
	}

	/**
	 * Ends what the mixed load's injected 429s left behind, as an operator would once an
	 * incident is over: the request budget shrunk for minutes and the app-wide pause. The
	 * memory scenario measures memory, with a well-behaved Spotify; the service picks the
	 * shared state up within a second.
	 */
	private static void restoreBudget(String database) throws SQLException, InterruptedException {
		try (Connection connection = DriverManager.getConnection(database, "sa", "");
				PreparedStatement budget = connection.prepareStatement("update spotify_request_budget "
						+ "set allowed = configured, version = version + 1, decreased_at = ?, changed_at = ?");
				PreparedStatement pause = connection
					.prepareStatement("update rate_limit_pause set paused_until = ?, reason = null")) {
			java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
			budget.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.EPOCH));
			budget.setTimestamp(2, now);
			budget.executeUpdate();
			pause.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.EPOCH));
			pause.executeUpdate();
		}
		Thread.sleep(1500);
	}

	/**
	 * The service's database, once the service is stopped: a full run leaves about 150
	 * MB.
	 */
	private static void deleteRecursively(Path directory) throws IOException {
		try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	private static Map<String, String> personalTables() {
		Map<String, String> tables = new LinkedHashMap<>();
		tables.put("account", "spotify_id");
		tables.put("spotify_token", "account_id");
		tables.put("library", "account_id");
		tables.put("library_track", "account_id");
		tables.put("api_key", "account_id");
		tables.put("spring_session", "principal_name");
		return tables;
	}

	private static Path serviceLog() throws IOException {
		Path target = Path.of("target");
		return Files.isDirectory(target) ? target.resolve("soak-service.log")
				: Files.createTempFile("soak-service", ".log");
	}

	/**
	 * What the service logged: OutOfMemoryErrors and errors (the first few distinct
	 * ones).
	 */
	record ServiceLog(Path path, int outOfMemoryErrors, int errors, List<String> firstErrors) {

		static ServiceLog scan(Path log) throws IOException {
			int oom = 0;
			int errors = 0;
			Set<String> first = new LinkedHashSet<>();
			for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
				if (line.contains("OutOfMemoryError")) {
					oom++;
				}
				if (line.contains(" ERROR ")) {
					errors++;
					if (first.size() < 5) {
						first.add(line.replaceFirst("^\\S+\\s+", "").trim());
					}
				}
			}
			return new ServiceLog(log, oom, errors, List.copyOf(first));
		}

	}

	/** Everything the run found; {@link #violations()} lists what must not happen. */
	public record Result(Settings settings, double startupSeconds, MixedLoad.Outcome mixed,
			MetricsSampler.Peaks mixedPeaks, MemoryScenario.Outcome memory, int reappeared, ServiceLog log, Tally tally,
			Tally setup, Path report, HostileCallers.SessionFlood flood, McpFlood.Outcome mcpFlood,
			HostileCallers.@Nullable CrashRestart crash) {

		/** Every requirement the run missed, in words; empty when it met them all. */
		public List<String> violations() {
			List<String> violations = new ArrayList<>();
			for (Tally.Failure failure : Tally.Failure.values()) {
				long count = this.tally.count(failure);
				if (count > 0) {
					violations.add(count + " " + failure.description());
				}
			}
			if (this.log.outOfMemoryErrors() > 0) {
				violations.add(this.log.outOfMemoryErrors() + " OutOfMemoryError lines in the service's log");
			}
			if (!this.memory.readyAfter()) {
				violations.add("the service was not ready after the memory scenario");
			}
			if (this.memory.withoutRetryAfter() > 0) {
				violations
					.add(this.memory.withoutRetryAfter() + " refusals without Retry-After in the memory scenario");
			}
			if (!this.flood.bounded()) {
				violations.add("an anonymous flood of sign-in starts left " + this.flood.anonymousRows()
						+ " sessions without a sign-in, " + this.flood.longLivedAnonymousRows()
						+ " of them long-lived");
			}
			if (!this.mcpFlood.clean()) {
				violations.add("an MCP flood from one key: " + this.mcpFlood);
			}
			if (this.crash != null && !this.crash.clean()) {
				violations.add("after a kill -9 and a restart: " + this.crash);
			}
			return violations;
		}

		/** Answers of the mixed load, every kind of caller together. */
		public long served() {
			return this.tally.outcomes()
				.entrySet()
				.stream()
				.filter(e -> !e.getKey().equals("memory"))
				.flatMap(e -> e.getValue().values().stream())
				.mapToLong(Long::longValue)
				.sum();
		}

		/** Answers of the mixed load with a status of 500 or more, of any kind. */
		public long serverErrors() {
			return this.tally.outcomes()
				.entrySet()
				.stream()
				.filter(e -> !e.getKey().equals("memory"))
				.flatMap(e -> e.getValue().entrySet().stream())
				.filter(e -> e.getKey().startsWith("5"))
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

		public long undocumentedServerErrors() {
			return this.tally.count(Tally.Failure.UNDOCUMENTED_5XX);
		}

		public long wrongContent() {
			return this.tally.count(Tally.Failure.WRONG_CONTENT) + this.tally.count(Tally.Failure.OUTDATED_FRESH);
		}

		public int deletions() {
			return this.mixed.deleted().size();
		}

		public int outOfMemoryErrors() {
			return this.log.outOfMemoryErrors();
		}

		public long memoryInternalErrors() {
			return this.memory.count(500);
		}

		public int memoryWindows() {
			return this.memory.outcomes().values().stream().mapToInt(Long::intValue).sum();
		}

	}

	/**
	 * Soak settings; every one a system property {@code soak.<name>}.
	 *
	 * @param callers concurrent callers of the mixed load
	 * @param seconds how long the mixed load runs
	 * @param maxRequests the most requests the mixed load sends (it stops at whichever
	 * limit comes first)
	 * @param warmPeople people signed in and synced before the load starts
	 * @param coldTracksMax largest library of a person signing in during the load
	 * @param latencyMs Spotify's latency per Web API request
	 * @param rateLimitRequests Spotify's app-wide limit: requests per
	 * {@code rateLimitWindowMs} (0: none)
	 * @param faultEveryMs how often a 5xx or 429 is queued for the next tracks request
	 * @param longPauseSeconds the one 429 at half time asks for this pause (0: none);
	 * above the service's {@code SPOTIFY_MAX_RATE_LIMIT_WAIT} of 15 s, so that requests
	 * answer at once instead of waiting
	 * @param freshnessSeconds the service's {@code LIBRARY_FRESHNESS}, short so that warm
	 * reads revalidate too
	 * @param refreshLagMs how far behind Spotify an answer not marked stale to
	 * {@code refresh=true} may be (a sync already running when it arrived answers it);
	 * plain reads may be {@code freshnessSeconds} more behind
	 * @param exportsPerAccount the service's {@code LIBRARY_EXPORTS_PER_ACCOUNT}, above
	 * its default of 2 so that the memory scenario's windows that do not fit in memory
	 * are streamed (or shed by the export threads' bound) rather than refused per person
	 * before they cost anything
	 * @param databasePoolSize the service's {@code DATABASE_POOL_SIZE}, 0 for its
	 * default; a small pool makes waiting for a connection, and what the service does
	 * when the wait times out, likely
	 * @param memoryWindows windows asked for at once in the memory scenario
	 * @param memoryItems items per window
	 * @param memoryPeople people the windows are spread over
	 * @param benchmarks the benchmarks report to link the soak report from, or none
	 * @param jvmOptions the service JVM's options besides the heap limit (none in the
	 * full run; the smoke test's service compiles with C1 alone, which halves the CPU its
	 * start-up takes)
	 */
	public record Settings(int callers, int seconds, long maxRequests, int maxColdSignIns, int maxDeletions,
			int warmPeople, int warmTracksMin, int warmTracksMax, int coldTracksMax, int latencyMs, int tokenLatencyMs,
			int rateLimitRequests, int rateLimitWindowMs, int faultEveryMs, int longPauseSeconds, int changeEveryMs,
			int freshnessSeconds, int refreshLagMs, int requestTimeoutSeconds, int exportsPerAccount,
			int databasePoolSize, int memoryWindows, int memoryItems, int memoryPeople, String heap, long seed,
			Path output, @Nullable Path benchmarks, List<String> jvmOptions) {

		public static Settings fromSystemProperties() {
			String benchmarks = System.getProperty("soak.benchmarks", "docs/benchmarks.md");
			return new Settings(Integer.getInteger("soak.callers", 200), Integer.getInteger("soak.seconds", 60),
					Long.getLong("soak.maxRequests", 200_000), Integer.getInteger("soak.maxColdSignIns", 400),
					Integer.getInteger("soak.maxDeletions", 200), Integer.getInteger("soak.warmPeople", 40),
					Integer.getInteger("soak.warmTracksMin", 100), Integer.getInteger("soak.warmTracksMax", 3000),
					Integer.getInteger("soak.coldTracksMax", 1500), Integer.getInteger("soak.latencyMs", 20),
					Integer.getInteger("soak.tokenLatencyMs", 50), Integer.getInteger("soak.rateLimitRequests", 200),
					Integer.getInteger("soak.rateLimitWindowMs", 5000), Integer.getInteger("soak.faultEveryMs", 400),
					Integer.getInteger("soak.longPauseSeconds", 16), Integer.getInteger("soak.changeEveryMs", 500),
					Integer.getInteger("soak.freshnessSeconds", 30), Integer.getInteger("soak.refreshLagMs", 3000),
					Integer.getInteger("soak.requestTimeoutSeconds", 90),
					Integer.getInteger("soak.exportsPerAccount", 10), Integer.getInteger("soak.databasePoolSize", 0),
					Integer.getInteger("soak.memoryWindows", 100), Integer.getInteger("soak.memoryItems", 10_000),
					Integer.getInteger("soak.memoryPeople", 10), System.getProperty("soak.heap", "256m"),
					Long.getLong("soak.seed", 12), Path.of(System.getProperty("soak.output", "docs/soak.md")),
					benchmarks.isEmpty() ? null : Path.of(benchmarks), List.of());
		}

		/** The service JVM's arguments: the heap limit, then {@link #jvmOptions()}. */
		List<String> serviceJvm() {
			List<String> arguments = new ArrayList<>();
			arguments.add("-Xmx" + this.heap);
			arguments.addAll(this.jvmOptions);
			return arguments;
		}

	}

}
