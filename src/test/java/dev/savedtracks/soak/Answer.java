package dev.savedtracks.soak;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the service answered to one request of the soak run, reduced to what is judged:
 * the status, the problem type or staleness, and the ids and total of a JSON or download
 * body (read as it streamed in, never held whole).
 *
 * @param status the HTTP status, 0 when no answer came (see {@code failure})
 * @param problem the last segment of a problem's {@code type}, e.g.
 * {@code sync-in-progress}
 * @param stale the {@code X-Library-Stale} header
 * @param retryAfter whether a {@code Retry-After} header came
 * @param ids the ids of the items, in order, for a 200 with a body that was read
 * @param total the body's {@code total}, -1 when the format has none
 * @param fromMemory whether the body came with a Content-Length (written whole from
 * memory) rather than streamed
 * @param failure why no complete answer came: a timeout, a broken connection or an
 * unreadable body
 */
record Answer(int status, @Nullable String problem, @Nullable String stale, boolean retryAfter,
		@Nullable List<String> ids, int total, boolean fromMemory, long start, long end, @Nullable String failure) {

	static Answer failed(long start, String why) {
		return new Answer(0, null, null, false, null, -1, false, start, System.nanoTime(), why);
	}

	/**
	 * Status and detail in one word, for tallies: {@code 200},
	 * {@code 200 stale:spotify-unavailable}, {@code 503 busy}.
	 */
	String outcome() {
		if (this.status == 0) {
			return "no answer";
		}
		if (this.problem != null) {
			return this.status + " " + this.problem;
		}
		if (this.stale != null) {
			return this.status + " stale:" + this.stale;
		}
		return Integer.toString(this.status);
	}

	long millis() {
		return (this.end - this.start) / 1_000_000;
	}

}
