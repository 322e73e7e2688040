package dev.savedtracks.soak;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * The mixed load: callers of six kinds, each a thread looping until the run's time (or
 * request budget) is up, while the people's libraries change in the emulator and Spotify
 * misbehaves. Every answer is judged as it arrives.
 * <ul>
 * <li><b>cold</b>: a new person signs in through the browser flow, creates a key and
 * reads their whole library (a cold sync), then joins the pool the others read;</li>
 * <li><b>warm</b>: reads a whole library of the pool;</li>
 * <li><b>window</b>: reads a small window (1 to 100 items, sometimes past the end);</li>
 * <li><b>export</b>: downloads a whole library as NDJSON or CSV on a slow link;</li>
 * <li><b>storm</b>: all storm callers ask for {@code refresh=true} of the same person at
 * the same instant, every two seconds, often just after that person's library
 * changed;</li>
 * <li><b>delete</b>: a new person signs in, reads, and deletes their data while reads of
 * theirs (some still in their first sync) are in flight; afterwards their key must be
 * refused.</li>
 * </ul>
 */
final class MixedLoad {

	static final String PATH = "/api/saved-tracks";

	private static final Duration STORM_SLOT = Duration.ofSeconds(2);

	private static final int RACING_READS = 4;

	private final SoakRunner.Settings settings;

	private final SpotifyEmulator spotify;

	private final String appUrl;

	private final int port;

	private final Api api;

	private final Tally tally;

	private final List<Person> warm;

	private final List<Person> pool;

	private final List<Person> deleted = new CopyOnWriteArrayList<>();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicInteger coldStarted = new AtomicInteger();

	private final AtomicInteger coldCompleted = new AtomicInteger();

	private final AtomicInteger signInsRefused = new AtomicInteger();

	private final AtomicInteger deletionsStarted = new AtomicInteger();

	private final AtomicInteger changes = new AtomicInteger();

	private final AtomicLong plainLag = new AtomicLong();

	private final AtomicLong refreshLag = new AtomicLong();

	private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();

	private final ExecutorService racing = Executors.newCachedThreadPool(daemon("soak-race"));

	private volatile long deadline;

	private volatile long started;

	private final MetricsSampler metrics;

	MixedLoad(SoakRunner.Settings settings, SpotifyEmulator spotify, String appUrl, int port, Api api, Tally tally,
			MetricsSampler metrics, List<Person> warm) {
		this.metrics = metrics;
		this.settings = settings;
		this.spotify = spotify;
		this.appUrl = appUrl;
		this.port = port;
		this.api = api;
		this.tally = tally;
		this.warm = List.copyOf(warm);
		this.pool = new CopyOnWriteArrayList<>(warm);
	}

	/**
	 * Runs the load for the configured time and returns when every caller has stopped (or
	 * hung).
	 */
	Outcome run() throws InterruptedException {
		SoakRunner.Settings s = this.settings;
		Mix mix = Mix.of(s.callers());
		this.spotify.latency(Duration.ofMillis(s.latencyMs()));
		this.spotify.tokenLatency(Duration.ofMillis(s.tokenLatencyMs()));
		this.spotify.rateLimit(s.rateLimitRequests(), Duration.ofMillis(s.rateLimitWindowMs()));
		int tracksBefore = this.spotify.counters().tracksRequests();
		int limitedBefore = this.spotify.counters().rateLimitedRequests();
		int refreshesBefore = this.spotify.counters().tokenRequests("refresh_token");
		Map<String, Double> countersBefore = this.metrics.counters();
		this.started = System.nanoTime();
		this.tally.startClock();
		this.deadline = this.started + Duration.ofSeconds(s.seconds()).toNanos();
		List<Thread> callers = new ArrayList<>();
		int index = 0;
		index = add(callers, "cold", mix.cold(), index, this::cold);
		index = add(callers, "warm", mix.warm(), index, this::warm);
		index = add(callers, "window", mix.windows(), index, this::window);
		index = add(callers, "export", mix.exports(), index, this::export);
		index = add(callers, "storm", mix.storms(), index, this::storm);
		add(callers, "delete", mix.deleters(), index, this::delete);
		Thread chaos = start("soak-chaos", this::chaos);
		Thread changer = start("soak-changes", this::changeLibraries);
		callers.forEach(Thread::start);
		long grace = Duration.ofSeconds(s.requestTimeoutSeconds() + 30).toMillis();
		List<String> hung = new ArrayList<>();
		for (Thread caller : callers) {
			caller.join(Math.max(1, (this.deadline - System.nanoTime()) / 1_000_000 + grace));
			if (caller.isAlive()) {
				hung.add(caller.getName() + " " + stackTop(caller));
				caller.interrupt();
			}
		}
		long elapsed = System.nanoTime() - this.started;
		chaos.interrupt();
		changer.interrupt();
		chaos.join(5000);
		changer.join(5000);
		this.racing.shutdownNow();
		for (String caller : hung) {
			this.tally.fail(Tally.Failure.BROKEN,
					"caller still running " + grace / 1000 + " s after the end: " + caller);
		}
		Map<String, Double> counters = this.metrics.counters();
		countersBefore.forEach((name, value) -> counters.computeIfPresent(name, (n, now) -> now - value));
		Map<String, Long> injected = new TreeMap<>();
		this.faults.forEach((kind, count) -> injected.put(kind, count.sum()));
		return new Outcome(mix, elapsed / 1e9, this.coldCompleted.get(), this.signInsRefused.get(),
				List.copyOf(this.deleted), this.changes.get(), hung.size(), injected,
				this.spotify.counters().tracksRequests() - tracksBefore,
				this.spotify.counters().rateLimitedRequests() - limitedBefore,
				this.spotify.counters().tokenRequests("refresh_token") - refreshesBefore, this.plainLag.get() / 1e6,
				this.refreshLag.get() / 1e6, this.pool.size(), counters);
	}

	private int add(List<Thread> callers, String role, int count, int first, Caller caller) {
		for (int i = 0; i < count; i++) {
			int number = i;
			Random random = new Random(this.settings.seed() * 1000L + first + i);
			Thread thread = new Thread(() -> {
				while (more()) {
					try {
						caller.act(number, random);
					}
					catch (RuntimeException ex) {
						this.tally.fail(Tally.Failure.BROKEN, role + " caller: " + ex);
						pause(200);
					}
				}
			}, "soak-" + role + "-" + i);
			thread.setDaemon(true);
			callers.add(thread);
		}
		return first + count;
	}

	private boolean more() {
		return System.nanoTime() < this.deadline && this.requests.get() < this.settings.maxRequests()
				&& !Thread.currentThread().isInterrupted();
	}

	private void cold(int number, Random random) {
		int n = this.coldStarted.incrementAndGet();
		if (n > this.settings.maxColdSignIns()) {
			sleepUntil(this.deadline);
			return;
		}
		Person person = new Person(
				this.spotify.user("cold-" + n).generateLibrary(20 + random.nextInt(this.settings.coldTracksMax())));
		Session session = signIn(person, "cold");
		if (session == null || System.nanoTime() > this.deadline) {
			// After the end no new read starts: the wait for callers covers one request.
			return;
		}
		if (!read("cold", person, PATH, 0, -1, false)) {
			return;
		}
		this.coldCompleted.incrementAndGet();
		this.pool.add(person);
	}

	private void warm(int number, Random random) {
		read("warm", pick(random), PATH, 0, -1, false);
	}

	private void window(int number, Random random) {
		Person person = pick(random);
		int offset = random.nextInt(person.size() + 5);
		int limit = 1 + random.nextInt(100);
		read("window", person, PATH + "?offset=" + offset + "&limit=" + limit, offset, limit, false);
	}

	private void export(int number, Random random) {
		Person person = pick(random);
		String accept = (random.nextInt(10) < 7) ? "application/x-ndjson" : "text/csv";
		Answer answer = SlowDownload.get(this.port, key(person), accept, 16 * 1024, Duration.ofMillis(20),
				Duration.ofSeconds(this.settings.requestTimeoutSeconds()));
		judge("export", person, answer, 0, -1, false, "download " + accept, true);
	}

	/**
	 * Waits for the next two-second slot, then asks for a refresh of that slot's person
	 * with every storm caller.
	 */
	private void storm(int number, Random random) {
		long slot = STORM_SLOT.toNanos();
		long now = System.nanoTime();
		long round = (now - this.started) / slot + 1;
		long next = this.started + round * slot;
		Person person = this.warm.get((int) ((round * 7919) % this.warm.size()));
		if (number == 0 && round % 2 == 0) {
			// Just before the storm, so that the refreshes find a change to fetch.
			sleepUntil(next - 20_000_000L);
			change(person, random);
		}
		sleepUntil(next);
		if (!more()) {
			return;
		}
		String query = (number % 3 == 0) ? "?refresh=true" : "?refresh=true&limit=" + (1 + number % 50);
		int limit = (number % 3 == 0) ? -1 : 1 + number % 50;
		read("storm", person, PATH + query, 0, limit, true);
	}

	/**
	 * A new person deletes their data while reads of theirs are in flight: half of the
	 * time during their first sync, half of the time during a refresh after a change.
	 * Afterwards their key and session must be refused, and, checked at the end of the
	 * run, no row of theirs may be left.
	 */
	private void delete(int number, Random random) {
		int n = this.deletionsStarted.incrementAndGet();
		if (n > this.settings.maxDeletions()) {
			sleepUntil(this.deadline);
			return;
		}
		Person person = new Person(this.spotify.user("delete-" + n).generateLibrary(50 + random.nextInt(750)));
		Session session = signIn(person, "delete");
		if (session == null) {
			return;
		}
		// The first deletion always runs, so that a run shorter than a sign-in (the
		// smoke run's 3 s on a slow machine) still races one; it starts at once, well
		// within the wait for callers.
		boolean late = n > 1;
		if (late && System.nanoTime() > this.deadline) {
			// A sign-in that ended after the end starts no race: the wait for callers
			// covers the requests in flight, not a whole deletion begun late.
			return;
		}
		boolean duringFirstSync = random.nextBoolean();
		if (!duringFirstSync) {
			read("delete", person, PATH, 0, -1, false);
			change(person, random);
		}
		if (late && System.nanoTime() > this.deadline) {
			return;
		}
		List<CompletableFuture<Answer>> inFlight = new ArrayList<>();
		for (int i = 0; i < RACING_READS; i++) {
			String query = (i % 2 == 0) ? "?refresh=true" : "?refresh=true&limit=10";
			inFlight.add(CompletableFuture.supplyAsync(() -> this.api.get(session.key(), PATH + query), this.racing));
		}
		pause(random.nextInt(40));
		long start = System.nanoTime();
		HttpResponse<String> deletion = session.browser().write("DELETE", "/api/me", "");
		Answer deleted = fromResponse(deletion, start);
		this.requests.incrementAndGet();
		if (deletion.statusCode() != 204) {
			page(this.tally, "delete", person, deleted, "DELETE /api/me");
			return;
		}
		this.tally.answer("delete", deleted);
		person.deleted(System.nanoTime());
		this.deleted.add(person);
		for (int i = 0; i < inFlight.size(); i++) {
			Answer answer = inFlight.get(i).join();
			if (answer.status() == 401) {
				this.tally.answer("delete-race", answer);
				this.requests.incrementAndGet();
			}
			else if (answer.status() == 200 && answer.failure() != null && !answer.fromMemory()) {
				// Streamed when the deletion took its rows: cut off, visibly.
				this.tally.cutByDeletion("delete-race", answer);
				this.requests.incrementAndGet();
			}
			else {
				judge("delete-race", person, answer, 0, (i % 2 == 0) ? -1 : 10, true, "read racing the deletion",
						false);
			}
		}
		Answer withKey = this.api.get(session.key(), PATH);
		this.tally.answer("delete-after", withKey);
		this.requests.incrementAndGet();
		if (withKey.status() != 401) {
			this.tally.fail(Tally.Failure.SERVED_AFTER_DELETION, "delete-after", person, withKey, "GET with the key");
		}
		long sessionStart = System.nanoTime();
		Answer withSession = fromResponse(session.browser().api("/api/me"), sessionStart);
		this.tally.answer("delete-after", withSession);
		this.requests.incrementAndGet();
		if (withSession.status() != 401) {
			this.tally.fail(Tally.Failure.SERVED_AFTER_DELETION, "delete-after", person, withSession,
					"GET /api/me with the session");
		}
	}

	/** Reads and judges a JSON answer; true when it was a 200 with the right content. */
	private boolean read(String role, Person person, String pathAndQuery, int offset, int limit, boolean refresh) {
		Answer answer = this.api.get(key(person), pathAndQuery);
		return judge(role, person, answer, offset, limit, refresh, "GET " + pathAndQuery, false);
	}

	private boolean judge(String role, Person person, Answer answer, int offset, int limit, boolean refresh,
			String request, boolean download) {
		this.tally.answer(role, answer);
		this.requests.incrementAndGet();
		if (!this.tally.judgeStatus(role, person, answer, download, request)) {
			return false;
		}
		List<String> ids = answer.ids();
		long lag = person.lag(ids, answer.total(), offset, limit, answer.start(), answer.end());
		if (lag < 0) {
			this.tally.fail(Tally.Failure.WRONG_CONTENT, role, person, answer, request + ": " + ids.size()
					+ " items, total " + answer.total() + "; the library has " + person.size() + " now");
			return false;
		}
		person.wasServed();
		if (answer.stale() == null) {
			long allowed = refresh ? Duration.ofMillis(this.settings.refreshLagMs()).toNanos()
					: Duration.ofSeconds(this.settings.freshnessSeconds()).toNanos()
							+ Duration.ofMillis(this.settings.refreshLagMs()).toNanos();
			(refresh ? this.refreshLag : this.plainLag).accumulateAndGet(lag, Math::max);
			if (lag > allowed) {
				this.tally.fail(Tally.Failure.OUTDATED_FRESH, role, person, answer,
						request + ": a version replaced " + lag / 1_000_000 + " ms before the request");
			}
		}
		return true;
	}

	/**
	 * Signs the person in through the browser flow and creates a key; null (counted) when
	 * it did not complete.
	 */
	private @Nullable Session signIn(Person person, String role) {
		Session session = signIn(this.appUrl, person, this.tally, role);
		this.requests.addAndGet(2);
		if (session == null) {
			this.signInsRefused.incrementAndGet();
		}
		return session;
	}

	/**
	 * Signs the person in through the browser flow, step by step so that each step's
	 * answer is judged, and creates a key; null when it did not complete (Spotify or the
	 * database refused it with a documented answer, or a failure that is counted).
	 */
	static @Nullable Session signIn(String appUrl, Person person, Tally tally, String role) {
		BrowserSession browser = new BrowserSession(appUrl);
		long start = System.nanoTime();
		HttpResponse<String> consent = browser.navigate(appUrl + "/oauth2/authorization/spotify");
		if (consent.statusCode() != 200 || !consent.body().contains("<form method=\"post\"")) {
			page(tally, role + "-sign-in", person, fromResponse(consent, start),
					"GET /oauth2/authorization/spotify (redirected to Spotify's consent page)");
			return null;
		}
		HttpResponse<String> landed = browser.submitConsent(consent, person.id(), "accept");
		Answer signedIn = fromResponse(landed, start);
		if (landed.uri().getPath().startsWith("/signin-error")) {
			// The service could not complete the sign-in and says so on its page:
			// counted, not a failure.
			tally.answer(role + "-sign-in", new Answer(signedIn.status(), "signin-error:" + landed.uri().getQuery(),
					null, false, null, -1, false, start, signedIn.end(), null));
			return null;
		}
		if (landed.statusCode() != 200) {
			page(tally, role + "-sign-in", person, signedIn, "consent and callback");
			return null;
		}
		tally.answer(role + "-sign-in", signedIn);
		long keyStart = System.nanoTime();
		HttpResponse<String> created = browser.write("POST", "/api/keys", "{\"name\":\"soak\"}");
		Answer key = fromResponse(created, keyStart);
		if (created.statusCode() != 201) {
			page(tally, role + "-key", person, key, "POST /api/keys after signing in");
			return null;
		}
		tally.answer(role + "-key", key);
		String secret = Api.json.readTree(created.body()).get("key").asString();
		person.key(secret);
		return new Session(browser, secret);
	}

	/**
	 * Counts and judges an answer that is not the one hoped for: a documented 503 is
	 * fine, anything else is not.
	 */
	private static void page(Tally tally, String role, Person person, Answer answer, String request) {
		tally.answer(role, answer);
		if (answer.status() == 200 || answer.status() == 201) {
			tally.fail(Tally.Failure.UNEXPECTED, role, person, answer, request + " (not the page expected)");
		}
		else {
			tally.judgeStatus(role, person, answer, false, request);
		}
	}

	static Answer fromResponse(HttpResponse<String> response, long start) {
		String contentType = response.headers().firstValue("Content-Type").orElse("");
		return new Answer(response.statusCode(), Api.problemType(contentType, response.body()),
				response.headers().firstValue("X-Library-Stale").orElse(null),
				response.headers().firstValue("Retry-After").isPresent(), null, -1, false, start, System.nanoTime(),
				null);
	}

	/** Changes libraries of the pool as their owners would, while they are being read. */
	private void changeLibraries() {
		Random random = new Random(this.settings.seed());
		while (!Thread.currentThread().isInterrupted() && System.nanoTime() < this.deadline) {
			pause(this.settings.changeEveryMs());
			change(pick(random), random);
		}
	}

	private void change(Person person, Random random) {
		int kind = random.nextInt(10);
		if (kind < 5) {
			person.change(user -> user.saveNewTracks(1 + random.nextInt(3)));
		}
		else if (kind < 7) {
			// More than a page on top: fetched as pages of their own.
			person.change(user -> user.saveNewTracks(51 + random.nextInt(70)));
		}
		else {
			// A removal: only a full sync finds it.
			person.change(user -> user.removeTrackAt(random.nextInt(Math.max(1, user.library().size()))));
		}
		this.changes.incrementAndGet();
	}

	/**
	 * Spotify misbehaving: a 5xx or a short 429 for a tracks request every so often
	 * (never faster than requests come), access tokens expiring at 30 % of the run, and
	 * at half time one 429 asking for a pause longer than the service waits.
	 */
	private void chaos() {
		Random random = new Random(this.settings.seed() + 1);
		SoakRunner.Settings s = this.settings;
		long expireAt = this.started + (this.deadline - this.started) * 3 / 10;
		long longPauseAt = this.started + (this.deadline - this.started) / 2;
		boolean expired = false;
		boolean paused = s.longPauseSeconds() == 0;
		int seen = this.spotify.counters().tracksRequests();
		while (!Thread.currentThread().isInterrupted() && System.nanoTime() < this.deadline) {
			pause(s.faultEveryMs());
			long now = System.nanoTime();
			if (!expired && now >= expireAt) {
				this.spotify.expireAccessTokens();
				count("access tokens expired");
				expired = true;
			}
			if (!paused && now >= longPauseAt) {
				this.spotify.faults().next(Fault.rateLimited(s.longPauseSeconds()));
				count("429 Retry-After: " + s.longPauseSeconds());
				paused = true;
				continue;
			}
			int requests = this.spotify.counters().tracksRequests();
			if (requests == seen) {
				continue;
			}
			seen = requests;
			// Mostly 5xx: every 429 pauses all of the service's Spotify calls, so a few
			// go a long way.
			int kind = random.nextInt(100);
			if (kind < 40) {
				inject(Fault.status(500), "500");
			}
			else if (kind < 60) {
				inject(Fault.status(502), "502");
			}
			else if (kind < 80) {
				inject(Fault.status(503), "503");
			}
			else if (kind < 90) {
				inject(Fault.rateLimited(1), "429 Retry-After: 1");
			}
			else if (kind < 95) {
				inject(Fault.bareRateLimited("1"), "429 bare, retry-after: 1");
			}
			else {
				inject(Fault.rateLimitedWithoutRetryAfter(), "429 without Retry-After");
			}
		}
	}

	private void inject(Fault fault, String kind) {
		this.spotify.faults().next(fault);
		count(kind);
	}

	private void count(String kind) {
		this.faults.computeIfAbsent(kind, k -> new LongAdder()).increment();
	}

	private Person pick(Random random) {
		return this.pool.get(random.nextInt(this.pool.size()));
	}

	private static String key(Person person) {
		String key = person.key();
		if (key == null) {
			throw new IllegalStateException(person + " has no key");
		}
		return key;
	}

	private void sleepUntil(long nanoTime) {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			pause(left / 1_000_000);
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Thread start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static String stackTop(Thread thread) {
		StackTraceElement[] stack = thread.getStackTrace();
		return (stack.length > 0) ? "at " + stack[0] : "";
	}

	/**
	 * One kind of caller's loop body; {@code number} counts the callers of that kind from
	 * 0.
	 */
	@FunctionalInterface
	private interface Caller {

		void act(int number, Random random);

	}

	/** A signed-in browser and the API key created in it. */
	record Session(BrowserSession browser, String key) {
	}

	/**
	 * How many callers of each kind: 10 % cold, 35 % warm, 30 % window, 7.5 % export,
	 * 12.5 % storm, 5 % delete.
	 */
	record Mix(int cold, int warm, int windows, int exports, int storms, int deleters) {

		static Mix of(int callers) {
			int cold = share(callers, 0.10);
			int windows = share(callers, 0.30);
			int exports = share(callers, 0.075);
			int storms = share(callers, 0.125);
			int deleters = share(callers, 0.05);
			int warm = Math.max(1, callers - cold - windows - exports - storms - deleters);
			return new Mix(cold, warm, windows, exports, storms, deleters);
		}

		private static int share(int callers, double fraction) {
			return Math.max(1, (int) Math.round(callers * fraction));
		}

		int total() {
			return this.cold + this.warm + this.windows + this.exports + this.storms + this.deleters;
		}

	}

	/**
	 * What the mixed load did besides the answers the tally counted.
	 *
	 * @param plainLagMillis the most a read not marked stale (and not asking for a
	 * refresh) lagged behind Spotify
	 * @param refreshLagMillis the same for {@code refresh=true} reads
	 */
	record Outcome(Mix mix, double seconds, int coldSignIns, int signInsNotCompleted, List<Person> deleted,
			int libraryChanges, int hungCallers, Map<String, Long> faults, int spotifyTracksRequests,
			int spotifyRateLimited, int tokenRefreshes, double plainLagMillis, double refreshLagMillis, int poolSize,
			Map<String, Double> serviceCounters) {
	}

}
