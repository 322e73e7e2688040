package dev.savedtracks.library.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.spotify.SpotifyClient;

/**
 * What a sync must do, decided from Spotify's first page and the cached copy alone (no
 * I/O, so it is tested in milliseconds). New saves go to the top of a library, so
 * comparing Spotify's count and its first page with the cached copy tells in one request
 * whether nothing changed, whether tracks were only added on top (fetch just the pages
 * holding them), or whether the whole library must be read again.
 */
sealed interface SyncPlan {

	int PAGE = SpotifyClient.PAGE_SIZE;

	/** Spotify lists exactly the cached copy: confirm it. */
	record Unchanged() implements SyncPlan {
	}

	/**
	 * Tracks were only added on top: fetch {@code pages} pages from the first one, then
	 * see {@link #additions}.
	 */
	record FetchTop(int pages) implements SyncPlan {
	}

	/**
	 * These rows, in Spotify's order, were saved on top of the cached copy, and nothing
	 * else changed.
	 */
	record AddOnTop(List<TrackRow> rows) implements SyncPlan {
	}

	/** Read the whole library again. */
	record Full(String why) implements SyncPlan {
	}

	/**
	 * @param first Spotify's first page
	 * @param cached the cached copy's head, {@code null} when nothing is cached
	 * @param cachedTop the first rows of the cached copy, at least as many as a page
	 * holds when the copy has them
	 * @param fullDue whether the copy is due for a full reconciliation (deep edits the
	 * cheap check cannot see)
	 * @param maxTopPages how many pages an addition on top may take before a full sync is
	 * cheaper to reason about
	 */
	static SyncPlan decide(PageRows first, @Nullable Head cached, List<TrackRow> cachedTop, boolean fullDue,
			int maxTopPages) {
		if (cached == null) {
			return new Full("nothing cached");
		}
		if (fullDue) {
			return new Full("full reconciliation due");
		}
		if (cached.staleReason() == StaleReason.LIBRARY_CHANGING) {
			return new Full("the cached copy may be inconsistent");
		}
		List<TrackRow> page = first.tracks();
		if (first.spotifyTotal() == cached.spotifyTotal() && TieRuns.startsWith(cachedTop, page, 0)) {
			return new Unchanged();
		}
		int added = first.spotifyTotal() - cached.spotifyTotal();
		if (added <= 0) {
			return new Full("tracks were removed or re-saved");
		}
		// The first cached item is now at position `added`: fetch the pages up to and
		// including it.
		int pages = (added + PAGE) / PAGE;
		if (pages > maxTopPages) {
			return new Full(added + " tracks added");
		}
		return (pages == 1) ? additions(page, added, cached, cachedTop) : new FetchTop(pages);
	}

	/**
	 * Whether a copy fully read at {@code fullSyncedAt} is due for a full reconciliation
	 * at {@code now}: after {@code interval}, shortened per library by up to a quarter
	 * (by its account id, so the same on every replica) so that libraries synced together
	 * do not all reconcile together again.
	 */
	static boolean fullReconciliationDue(String accountId, Instant fullSyncedAt, Duration interval, Instant now) {
		// Murmur3's finaliser: ids that differ in one character still land far apart.
		int hash = accountId.hashCode();
		hash ^= hash >>> 16;
		hash *= 0x85ebca6b;
		hash ^= hash >>> 13;
		hash *= 0xc2b2ae35;
		hash ^= hash >>> 16;
		long spread = Math.floorMod(hash, 1000);
		Duration due = interval.minus(interval.dividedBy(4).multipliedBy(spread).dividedBy(1000));
		return !now.isBefore(fullSyncedAt.plus(due));
	}

	/**
	 * The rows added on top, given Spotify's first rows (from the first pages, all
	 * agreeing on the count) and the count's growth: everything above the first cached
	 * row, when what follows it is the cached top, unchanged, and no more tracks appeared
	 * than the count grew by. A full sync otherwise.
	 */
	static SyncPlan additions(List<TrackRow> fetched, int added, Head cached, List<TrackRow> cachedTop) {
		if (cachedTop.isEmpty()) {
			return (cached.spotifyTotal() == 0 && fetched.size() <= added) ? new AddOnTop(unique(fetched))
					: new Full("nothing visible was cached to compare with");
		}
		int overlap = TieRuns.indexOfRun(fetched, cachedTop);
		if (overlap < 0 || overlap > added) {
			return new Full("the cached top is no longer where additions would leave it");
		}
		List<TrackRow> rest = fetched.subList(overlap, fetched.size());
		if (!TieRuns.startsWith(cachedTop, rest.subList(0, Math.min(rest.size(), cachedTop.size())), 0)) {
			return new Full("the tracks below the additions changed");
		}
		List<TrackRow> news = fetched.subList(0, overlap);
		List<TrackRow> unique = unique(news);
		return (unique.size() == news.size()) ? new AddOnTop(List.copyOf(news))
				: new Full("a track was saved twice on top");
	}

	/**
	 * The tracks saved on top of the library whose first page was {@code first}, when
	 * Spotify's first page now ({@code firstAgain}) shows that this is all that moved:
	 * the count grew by fewer than a page, and below the new tracks the first page lists
	 * what it listed. {@code null} otherwise (or when items without a track blur the
	 * count).
	 */
	static @Nullable List<TrackRow> savedOnTop(PageRows first, PageRows firstAgain) {
		int added = firstAgain.spotifyTotal() - first.spotifyTotal();
		List<TrackRow> top = first.tracks();
		if (added <= 0 || added >= PAGE || top.isEmpty() || first.removed() != 0 || firstAgain.removed() != 0) {
			return null;
		}
		List<TrackRow> again = firstAgain.tracks();
		if (TieRuns.indexOfRun(again, top) != added
				|| !TieRuns.startsWith(top, again.subList(added, again.size()), 0)) {
			return null;
		}
		List<TrackRow> news = again.subList(0, added);
		return (unique(news).size() == added) ? List.copyOf(news) : null;
	}

	private static List<TrackRow> unique(List<TrackRow> rows) {
		Set<String> keys = new HashSet<>();
		return rows.stream().filter(row -> keys.add(row.key())).toList();
	}

}
