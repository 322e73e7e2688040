package dev.savedtracks.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A flood of MCP tool calls from one API key (issue 28, item 2), during the middle half
 * of the mixed load: {@value #CALLERS} callers with the same key each send
 * {@code tools/call} after {@code tools/call} (searches and statistics, each a scan of
 * the whole library), four times as many at once as {@code MCP_CALLS_PER_PERSON} lets
 * run. A refused call is sent again after {@link #IGNORED_RETRY}, not after the seconds
 * it was told to wait: a hostile caller ignores the advice. Every answer is judged: a
 * tool result, or a refusal that is a tool error saying when to retry; never a 5xx. The
 * mixed load's answers that started during the flood are counted apart by the
 * {@link Tally}, so the report can show that other people's reads and downloads were not
 * hurt.
 */
final class McpFlood {

	/** The service's {@code MCP_CALLS_PER_PERSON} (the default). */
	static final int CALLS_PER_PERSON = 2;

	/** Callers of the flood, all with the same key. */
	static final int CALLERS = 4 * CALLS_PER_PERSON;

	/** How long a refused caller waits before calling again (it was told 2 s). */
	static final Duration IGNORED_RETRY = Duration.ofMillis(100);

	private static final Pattern SLUG = Pattern.compile("\\(error: ([a-z-]+)");

	private final String appUrl;

	private final Person person;

	private final Tally tally;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS + 1, runnable -> {
		Thread thread = new Thread(runnable, "soak-mcp-flood");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicLong ids = new AtomicLong();

	/** Callers of the flood still calling. */
	private final AtomicInteger running = new AtomicInteger(CALLERS);

	private final LongAdder sent = new LongAdder();

	private final LongAdder answered = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private final LongAdder refusedWithoutRetry = new LongAdder();

	private final LongAdder serverErrors = new LongAdder();

	private final LongAdder broken = new LongAdder();

	/** Answers other than a tool result or a refusal, by outcome. */
	private final ConcurrentMap<String, LongAdder> other = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	private volatile long started;

	private volatile long ended;

	/**
	 * How long a call may take: the other callers' timeout, beyond LIBRARY_SYNC_WAIT (a
	 * call that waited for a sync answers just after it).
	 */
	private final Duration timeout;

	McpFlood(String appUrl, Person person, Tally tally, Duration timeout) {
		this.appUrl = appUrl;
		this.person = person;
		this.tally = tally;
		this.timeout = timeout;
	}

	/**
	 * What the flood found.
	 *
	 * @param seconds how long it ran
	 * @param sent calls sent
	 * @param answered calls answered with a tool result
	 * @param refused calls refused with the {@code too-many-calls} tool error
	 * @param refusedWithoutRetry of them, refusals that did not say when to retry
	 * @param serverErrors answers with a status of 500 or more
	 * @param broken requests that got no answer at all
	 * @param other any other answer, by outcome
	 */
	record Outcome(String person, int librarySize, double seconds, long sent, long answered, long refused,
			long refusedWithoutRetry, long serverErrors, long broken, Map<String, Long> other) {

		/** Whether the flood got nothing it should not: no 5xx, no lost call. */
		boolean clean() {
			return this.serverErrors == 0 && this.broken == 0 && this.refusedWithoutRetry == 0 && this.answered > 0;
		}

	}

	/**
	 * Starts the flood in the background: it waits a quarter of {@code seconds}, then
	 * floods for half of it, or until {@link #stop}.
	 */
	void startDuring(int seconds) {
		long quarter = TimeUnit.SECONDS.toNanos(seconds) / 4;
		this.callers.execute(() -> {
			try {
				Thread.sleep(quarter / 1_000_000);
				if (this.stopping) {
					return;
				}
				this.started = System.nanoTime();
				this.tally.floodStarted(this.started);
				long until = this.started + 2 * quarter;
				for (int i = 0; i < CALLERS; i++) {
					int caller = i;
					this.callers.execute(() -> flood(caller, until));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	/** Stops the flood (if it still runs) and waits for its calls to end. */
	Outcome stop() throws InterruptedException {
		this.stopping = true;
		this.callers.shutdown();
		if (!this.callers.awaitTermination(60, TimeUnit.SECONDS)) {
			this.callers.shutdownNow();
		}
		end();
		Map<String, Long> others = new TreeMap<>();
		this.other.forEach((outcome, count) -> others.put(outcome, count.sum()));
		double seconds = (this.started != 0) ? (this.ended - this.started) / 1e9 : 0;
		return new Outcome(this.person.id(), this.person.size(), seconds, this.sent.sum(), this.answered.sum(),
				this.refused.sum(), this.refusedWithoutRetry.sum(), this.serverErrors.sum(), this.broken.sum(), others);
	}

	private void flood(int caller, long until) {
		int call = 0;
		while (!this.stopping && System.nanoTime() < until) {
			boolean stats = (caller + call++) % 2 == 0;
			if (call(stats) && !pause()) {
				return;
			}
		}
		if (this.running.decrementAndGet() == 0) {
			end();
		}
	}

	/** Marks the end of the flood, once. */
	private synchronized void end() {
		if (this.started != 0 && this.ended == 0) {
			this.ended = System.nanoTime();
			this.tally.floodEnded(this.ended);
		}
	}

	/**
	 * One call, judged and counted.
	 * @return whether it was refused
	 */
	private boolean call(boolean stats) {
		String params = stats ? "{\"name\":\"library_stats\",\"arguments\":{\"top\":10}}"
				: "{\"name\":\"search_saved_tracks\",\"arguments\":{\"query\":\"a\",\"limit\":20}}";
		String body = "{\"jsonrpc\":\"2.0\",\"id\":" + this.ids.incrementAndGet() + ",\"method\":\"tools/call\","
				+ "\"params\":" + params + "}";
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.appUrl + "/mcp"))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Authorization", "Bearer " + this.person.key())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		this.sent.increment();
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			this.broken.increment();
			count("no answer: " + ex.getClass().getSimpleName());
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		return judge(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
	}

	/**
	 * Judges an answer.
	 * @return whether it was a refusal
	 */
	boolean judge(int status, String contentType, String body) {
		if (status >= 500) {
			this.serverErrors.increment();
			count(status + " " + Api.problemType(contentType, body));
			return false;
		}
		if (status != 200) {
			count(status + " " + Api.problemType(contentType, body));
			return false;
		}
		JsonNode message = message(body);
		JsonNode result = (message != null) ? message.get("result") : null;
		if (result == null) {
			JsonNode error = (message != null) ? message.get("error") : null;
			count("JSON-RPC error " + ((error != null) ? error.path("code").asString() : "(unreadable answer)"));
			return false;
		}
		if (!result.path("isError").asBoolean(false)) {
			this.answered.increment();
			return false;
		}
		String text = result.path("content").path(0).path("text").asString("");
		Matcher slug = SLUG.matcher(text);
		if (slug.find() && slug.group(1).equals("too-many-calls")) {
			this.refused.increment();
			if (!text.contains("retryAfterSeconds") || !text.contains("try again in")) {
				this.refusedWithoutRetry.increment();
			}
			return true;
		}
		count("tool error " + (slug.find(0) ? slug.group(1) : "without a slug"));
		return false;
	}

	/** The JSON-RPC message of a JSON or event-stream answer. */
	private static @Nullable JsonNode message(String body) {
		String json = body.strip();
		if (!json.startsWith("{")) {
			json = List.of(body.split("\n"))
				.stream()
				.filter(line -> line.startsWith("data:"))
				.map(line -> line.substring(5).strip())
				.findFirst()
				.orElse("");
		}
		try {
			return json.isEmpty() ? null : Api.json.readTree(json);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private void count(String outcome) {
		this.other.computeIfAbsent(outcome, o -> new LongAdder()).increment();
	}

	/** Waits {@link #IGNORED_RETRY}; false when interrupted. */
	private static boolean pause() {
		try {
			Thread.sleep(IGNORED_RETRY.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** The person of {@code pool} with the largest library: their calls scan the most. */
	static Person flooder(List<Person> pool) {
		Person largest = pool.get(0);
		for (Person person : pool) {
			if (person.size() > largest.size()) {
				largest = person;
			}
		}
		return largest;
	}

}
