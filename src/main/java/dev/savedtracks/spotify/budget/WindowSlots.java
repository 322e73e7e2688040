package dev.savedtracks.spotify.budget;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Spotify's rolling window as the limiter counts it: the window cut into {@value #SLOTS}
 * slots, each holding how many permits were granted in it. A permit is granted in slot
 * {@code k} only while slots {@code k - span} to {@code k} hold fewer than the limit. The
 * span is one slot more than a window (a rolling window can touch {@code SLOTS + 1}
 * slots), so no rolling window ever holds more: of the grants within any window, the last
 * one saw every earlier one in the slots it summed. The span also covers at least
 * {@link #GUARD_MILLIS} and a {@link #GUARD_SHARE}th of the window beyond it: a permit's
 * request reaches Spotify a little after it is granted, and the first of a burst may
 * arrive later than the last of the next one. Pure decisions over the counts, plus the
 * counts of one replica kept in memory (H2 serves one replica).
 */
final class WindowSlots {

	/** Slots per window: a 30-second window is counted per second. */
	static final int SLOTS = 30;

	/** How long after the window a grant still counts, at least. */
	static final long GUARD_MILLIS = 500;

	/**
	 * How long after the window a grant still counts, at least, as a share of the window:
	 * a twentieth (1.5 s of 30 s). On a busy replica (a CPU-throttled container, a long
	 * GC pause, 96 page requests in flight on two cores) a request reaches Spotify up to
	 * a second or more after its permit; with a guard of half a second, Spotify still
	 * counted those when the next window's first permits went out, and answered 429 to
	 * several of them (the section 12 storm: 8 and 12 429s in two runs).
	 */
	static final int GUARD_SHARE = 20;

	private final NavigableMap<Long, Integer> granted = new TreeMap<>();

	/** How long one slot lasts, for a window of {@code windowMillis}. */
	static long slotMillis(long windowMillis) {
		return Math.max(1, windowMillis / SLOTS);
	}

	/**
	 * How many slots before the current one a grant still counts: a window, and a guard
	 * of at least one slot, {@link #GUARD_MILLIS} and a {@link #GUARD_SHARE}th of the
	 * window.
	 */
	static int span(long slotMillis) {
		long guard = Math.max(GUARD_MILLIS, slotMillis * SLOTS / GUARD_SHARE);
		return SLOTS - 1 + (int) Math.max(1, (guard + slotMillis - 1) / slotMillis);
	}

	/**
	 * Whether a permit may be granted at {@code nowMillis} under {@code limit}, given the
	 * permits granted per slot.
	 * @return 0 when it may, else how many milliseconds until enough old slots have left
	 * the window
	 */
	static long waitMillis(NavigableMap<Long, Integer> granted, long nowMillis, long slotMillis, int limit) {
		long current = nowMillis / slotMillis;
		int span = span(slotMillis);
		long first = current - span;
		int used = 0;
		for (int count : granted.subMap(first, true, current, true).values()) {
			used += count;
		}
		if (used < Math.max(0, limit)) {
			return 0;
		}
		// The grants of the oldest slots leave the window first: wait until enough have.
		int excess = used - Math.max(0, limit) + 1;
		for (Map.Entry<Long, Integer> slot : granted.subMap(first, true, current, true).entrySet()) {
			excess -= slot.getValue();
			if (excess <= 0) {
				return Math.max(1, (slot.getKey() + span + 1) * slotMillis - nowMillis);
			}
		}
		return Math.max(1, (current + span + 1) * slotMillis - nowMillis);
	}

	/**
	 * Grants a permit at {@code nowMillis} if {@code limit} allows, in this replica's
	 * memory.
	 * @return 0 when granted, else milliseconds to wait
	 */
	synchronized long tryTake(long nowMillis, long slotMillis, int limit) {
		long current = nowMillis / slotMillis;
		this.granted.headMap(current - span(slotMillis), false).clear();
		long wait = waitMillis(this.granted, nowMillis, slotMillis, limit);
		if (wait == 0) {
			this.granted.merge(current, 1, Integer::sum);
		}
		return wait;
	}

	/** Forgets every grant: for tests. */
	synchronized void clear() {
		this.granted.clear();
	}

}
