package dev.savedtracks.library.sync;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.store.TrackRow;

/**
 * Listings compared the way Spotify orders them: by {@code added_at}, newest first, with
 * the order of tracks saved in the same second left undocumented (a bulk save gives
 * hundreds of tracks one {@code added_at}, and Spotify lists them in any order, not
 * always the same). A run of equal {@code added_at} is compared as a set, so that a
 * reordering within a tie never looks like a change and never costs a full sync. Pure
 * functions.
 */
final class TieRuns {

	private TieRuns() {
	}

	/**
	 * Whether {@code rows} are the first rows of {@code cached} from {@code from}, runs
	 * of equal {@code added_at} compared as sets. The last run of {@code rows} may be cut
	 * short by the end of a page, so its tracks need only be among the cached run from
	 * that place on (as far as {@code cached} reaches).
	 */
	static boolean startsWith(List<TrackRow> cached, List<TrackRow> rows, int from) {
		if (cached.size() - from < rows.size()) {
			return false;
		}
		int start = 0;
		while (start < rows.size()) {
			String addedAt = rows.get(start).addedAt();
			int end = runEnd(rows, start, addedAt);
			for (int i = start; i < end; i++) {
				if (!Objects.equals(cached.get(from + i).addedAt(), addedAt)) {
					return false;
				}
			}
			Set<String> keys = keys(rows, start, end);
			int cachedEnd = (end < rows.size()) ? from + end : runEnd(cached, from + end, addedAt);
			if (end < rows.size() ? !keys.equals(keys(cached, from + start, cachedEnd))
					: !keys(cached, from + start, cachedEnd).containsAll(keys)) {
				return false;
			}
			start = end;
		}
		return true;
	}

	/**
	 * Whether two listings of the same place hold the same tracks in the same order, runs
	 * of equal {@code added_at} compared as sets.
	 */
	static boolean sameListing(List<TrackRow> one, List<TrackRow> other) {
		return one.size() == other.size() && startsWith(one, other, 0);
	}

	/**
	 * Where the first row of {@code rows} whose {@code added_at} is that of {@code first}
	 * (the first cached row) is, when that run holds {@code first}'s track; -1 when none
	 * does.
	 */
	static int indexOfRun(List<TrackRow> rows, List<TrackRow> cachedTop) {
		TrackRow first = cachedTop.get(0);
		Set<String> cachedRun = keys(cachedTop, 0, runEnd(cachedTop, 0, first.addedAt()));
		for (int i = 0; i < rows.size(); i++) {
			TrackRow row = rows.get(i);
			if (Objects.equals(row.addedAt(), first.addedAt()) && cachedRun.contains(row.key())) {
				return i;
			}
		}
		return -1;
	}

	/** The end of the run of {@code addedAt} in {@code rows} from {@code start}. */
	private static int runEnd(List<TrackRow> rows, int start, @Nullable String addedAt) {
		int end = start;
		while (end < rows.size() && Objects.equals(rows.get(end).addedAt(), addedAt)) {
			end++;
		}
		return end;
	}

	private static Set<String> keys(List<TrackRow> rows, int from, int to) {
		Set<String> keys = new HashSet<>(to - from);
		for (int i = from; i < to; i++) {
			keys.add(rows.get(i).key());
		}
		return keys;
	}

}
