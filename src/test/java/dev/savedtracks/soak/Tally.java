package dev.savedtracks.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every answer of the soak run by kind of caller and outcome, and keeps the first
 * few examples of each kind of failure, with what is needed to find them in the service's
 * log.
 */
final class Tally {

	/**
	 * The 503s the API documents, each a problem+json whose type ends with one of these.
	 */
	static final Set<String> DOCUMENTED_503 = Set.of("spotify-rate-limited", "spotify-quota-exceeded",
			"sync-in-progress", "library-changing", "sync-failed", "database-unavailable", "busy");

	private static final int EXAMPLES = 8;

	private volatile long started = System.nanoTime();

	private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> outcomes = new ConcurrentHashMap<>();

	private final ConcurrentMap<Failure, AtomicLong> failures = new ConcurrentHashMap<>();

	private final ConcurrentMap<Failure, List<String>> examples = new ConcurrentHashMap<>();

	private final LongAdder served = new LongAdder();

	private final LongAdder documented502 = new LongAdder();

	private final LongAdder cutByDeletion = new LongAdder();

	private final LongAdder stale = new LongAdder();

	private final AtomicLong slowest = new AtomicLong();

	private final ConcurrentMap<String, List<Long>> millis = new ConcurrentHashMap<>();

	/** Answers completed per {@value #BUCKET_SECONDS} s since the clock started. */
	private final ConcurrentMap<Integer, LongAdder> timeline = new ConcurrentHashMap<>();

	static final int BUCKET_SECONDS = 5;

	/** When the MCP flood began and ended (System.nanoTime()); none yet: MAX_VALUE. */
	private volatile long floodFrom = Long.MAX_VALUE;

	private volatile long floodTo = Long.MAX_VALUE;

	/** Answers of the mixed load that started during the MCP flood, and the others. */
	private final Share duringFlood = new Share();

	private final Share besideFlood = new Share();

	/** What must not happen, by kind. */
	enum Failure {

		/**
		 * A 5xx other than a documented 503 (or a documented 502 for a person with
		 * nothing cached).
		 */
		UNDOCUMENTED_5XX("5xx other than documented 503s"),

		/** Items or total that match no version of the library the emulator held. */
		WRONG_CONTENT("answers whose content differs from the emulator's library"),

		/**
		 * An answer not marked stale, older than the service may serve without saying so.
		 */
		OUTDATED_FRESH("answers not marked stale but older than allowed"),

		/** A deleted person's data found in the database at the end of the run. */
		REAPPEARED("deleted accounts that reappear"),

		/**
		 * A request with a deleted person's key, sent after the deletion was answered,
		 * that was not refused.
		 */
		SERVED_AFTER_DELETION("answers to a deleted person's key other than 401"),

		/**
		 * Anything else no caller should get: a 4xx for a valid request, a 503 without
		 * Retry-After.
		 */
		UNEXPECTED("other unexpected answers"),

		/**
		 * A 200 whose body was cut off, unreadable or followed by more; a request that
		 * got no answer at all.
		 */
		BROKEN("broken or missing answers");

		private final String description;

		Failure(String description) {
			this.description = description;
		}

		String description() {
			return this.description;
		}

	}

	/** Times the examples from now on. */
	void startClock() {
		this.started = System.nanoTime();
	}

	/** Counts an answer of a caller of kind {@code role}. */
	void answer(String role, Answer answer) {
		if (answer.status() > 0) {
			this.served.increment();
		}
		if (answer.stale() != null) {
			this.stale.increment();
		}
		this.slowest.accumulateAndGet(answer.millis(), Math::max);
		List<Long> times = this.millis.computeIfAbsent(role, r -> new ArrayList<>());
		synchronized (times) {
			times.add(answer.millis());
		}
		int bucket = (int) Math.max(0, (answer.end() - this.started) / 1_000_000_000L / BUCKET_SECONDS);
		this.timeline.computeIfAbsent(bucket, b -> new LongAdder()).increment();
		this.outcomes.computeIfAbsent(role, r -> new ConcurrentHashMap<>())
			.computeIfAbsent(answer.outcome(), o -> new LongAdder())
			.increment();
		if (!role.equals("memory")) {
			Share share = duringFlood(answer.start()) ? this.duringFlood : this.besideFlood;
			share.answers.increment();
			if (answer.status() >= 500) {
				share.serverErrors.increment();
			}
		}
	}

	/** The MCP flood began at {@code at} (System.nanoTime()). */
	void floodStarted(long at) {
		this.floodFrom = at;
	}

	/** The MCP flood ended at {@code at} (System.nanoTime()). */
	void floodEnded(long at) {
		this.floodTo = at;
	}

	private boolean duringFlood(long start) {
		return start >= this.floodFrom && start < this.floodTo;
	}

	/**
	 * The mixed load's answers (and 5xx, and undocumented 5xx) that started during the
	 * MCP flood ({@code during}) or not.
	 */
	FloodShares floodShares() {
		return new FloodShares(this.duringFlood.snapshot(), this.besideFlood.snapshot());
	}

	/** How the mixed load's answers split around the MCP flood. */
	record FloodShares(Counts during, Counts beside) {

	}

	/** Answers, their 5xx, and the 5xx other than documented ones. */
	record Counts(long answers, long serverErrors, long undocumented) {

	}

	private static final class Share {

		final LongAdder answers = new LongAdder();

		final LongAdder serverErrors = new LongAdder();

		final LongAdder undocumented = new LongAdder();

		Counts snapshot() {
			return new Counts(this.answers.sum(), this.serverErrors.sum(), this.undocumented.sum());
		}

	}

	/**
	 * Judges the status of an answer for a person who has not been deleted, counting it;
	 * true when it is a 200 whose content is to be judged next.
	 * @param person whose library was asked for; a 502 is documented only while nothing
	 * of theirs is cached
	 * @param downloadLimitExpected whether the request was a download, to which a 429 is
	 * a documented answer
	 */
	boolean judgeStatus(String role, Person person, Answer answer, boolean downloadLimitExpected, String request) {
		int status = answer.status();
		if (status == 200) {
			if (answer.failure() != null || answer.ids() == null) {
				fail(Failure.BROKEN, role, person, answer, request);
				return false;
			}
			return true;
		}
		if (status == 0) {
			fail(Failure.BROKEN, role, person, answer, request);
		}
		else if (status == 503 && DOCUMENTED_503.contains(answer.problem())) {
			if (!answer.retryAfter() && !"spotify-quota-exceeded".equals(answer.problem())) {
				fail(Failure.UNEXPECTED, role, person, answer, request + " (503 without Retry-After)");
			}
		}
		else if (status == 502 && "spotify-unavailable".equals(answer.problem()) && !person.served()) {
			this.documented502.increment();
		}
		else if (status >= 500) {
			fail(Failure.UNDOCUMENTED_5XX, role, person, answer, request);
		}
		else if (!(status == 429 && downloadLimitExpected && "too-many-downloads".equals(answer.problem())
				&& answer.retryAfter())) {
			fail(Failure.UNEXPECTED, role, person, answer, request);
		}
		return false;
	}

	void fail(Failure failure, String role, Person person, Answer answer, String detail) {
		this.failures.computeIfAbsent(failure, f -> new AtomicLong()).incrementAndGet();
		if (failure == Failure.UNDOCUMENTED_5XX && !role.equals("memory")) {
			(duringFlood(answer.start()) ? this.duringFlood : this.besideFlood).undocumented.increment();
		}
		List<String> list = this.examples.computeIfAbsent(failure, f -> new ArrayList<>());
		synchronized (list) {
			if (list.size() < EXAMPLES) {
				list.add(String.format(java.util.Locale.ROOT, "t=%.1f s, %s, %s: %s → %s%s (%d ms)",
						(answer.start() - this.started) / 1e9, role, person, detail, answer.outcome(),
						(answer.failure() != null) ? " [" + answer.failure() + "]" : "", answer.millis()));
			}
		}
	}

	/** A failure found outside an answer (in the database, in the service's log). */
	void fail(Failure failure, String example) {
		this.failures.computeIfAbsent(failure, f -> new AtomicLong()).incrementAndGet();
		List<String> list = this.examples.computeIfAbsent(failure, f -> new ArrayList<>());
		synchronized (list) {
			if (list.size() < EXAMPLES) {
				list.add(example);
			}
		}
	}

	long count(Failure failure) {
		AtomicLong count = this.failures.get(failure);
		return (count != null) ? count.get() : 0;
	}

	List<String> examples(Failure failure) {
		List<String> list = this.examples.getOrDefault(failure, List.of());
		synchronized (list) {
			return List.copyOf(list);
		}
	}

	long served() {
		return this.served.sum();
	}

	long stale() {
		return this.stale.sum();
	}

	long documented502() {
		return this.documented502.sum();
	}

	/**
	 * A streamed answer (no {@code Content-Length}) to a read racing its person's "delete
	 * my data" stopped before its end: the documented outcome (README: Delete my data),
	 * nothing of a deleted library is sent after its rows are gone, and the cut is
	 * visible. Counted apart, never as a broken answer.
	 */
	void cutByDeletion(String role, Answer answer) {
		answer(role, answer);
		this.cutByDeletion.increment();
	}

	long cutByDeletion() {
		return this.cutByDeletion.sum();
	}

	long slowestMillis() {
		return this.slowest.get();
	}

	/**
	 * The median, 99th percentile and maximum time to answer of a kind of caller, in
	 * milliseconds.
	 */
	long[] percentiles(String role) {
		List<Long> times = this.millis.getOrDefault(role, List.of());
		List<Long> sorted;
		synchronized (times) {
			sorted = new ArrayList<>(times);
		}
		if (sorted.isEmpty()) {
			return new long[] { 0, 0, 0 };
		}
		java.util.Collections.sort(sorted);
		return new long[] { sorted.get((sorted.size() - 1) / 2), sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1),
				sorted.get(sorted.size() - 1) };
	}

	/**
	 * Answers completed in each {@value #BUCKET_SECONDS}-second interval since the clock
	 * started.
	 */
	Map<Integer, Long> timeline() {
		Map<Integer, Long> sorted = new TreeMap<>();
		this.timeline.forEach((bucket, count) -> sorted.put(bucket, count.sum()));
		return sorted;
	}

	/**
	 * Every outcome by role, sorted, e.g. {@code warm → {200: 4711, 200
	 * stale:spotify-unavailable: 12}}.
	 */
	Map<String, Map<String, Long>> outcomes() {
		Map<String, Map<String, Long>> all = new TreeMap<>();
		this.outcomes.forEach((role, counts) -> {
			Map<String, Long> sorted = new TreeMap<>();
			counts.forEach((outcome, count) -> sorted.put(outcome, count.sum()));
			all.put(role, sorted);
		});
		return all;
	}

}
