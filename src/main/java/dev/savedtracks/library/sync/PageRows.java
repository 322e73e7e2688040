package dev.savedtracks.library.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Track;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.spotify.SavedTracksPage;

/**
 * The rows one page of Spotify's saved tracks gives the cache, in Spotify's order: items
 * whose track is {@code null} (removed or unavailable content) are left out and counted,
 * and a track Spotify sent twice in the same page is kept once and counted. Each row
 * keeps its index in the page, from which its place in the library follows.
 *
 * @param requestedAt when the sync asked Spotify for the page (before it waited for the
 * request budget): what the page lists held at that time or later, so a copy confirmed by
 * this page is at least this recent, and no more
 */
record PageRows(int offset, int spotifyTotal, List<Indexed> rows, int removed, int duplicates, Instant requestedAt) {

	/** A row and its index among the page's items. */
	record Indexed(int index, TrackRow row) {
	}

	static PageRows of(int offset, SavedTracksPage page, Instant requestedAt, JsonMapper json) {
		List<SavedTracksPage.Item> items = page.itemsOrEmpty();
		List<Indexed> rows = new ArrayList<>(items.size());
		Set<String> keys = new HashSet<>();
		int removed = 0;
		int duplicates = 0;
		for (int i = 0; i < items.size(); i++) {
			SavedTracksPage.Item item = items.get(i);
			Track track = (item != null) ? SavedItems.track(item) : null;
			if (track == null) {
				removed++;
				continue;
			}
			String key = SavedItems.key(track);
			if (!keys.add(key)) {
				duplicates++;
				continue;
			}
			rows.add(new Indexed(i, new TrackRow(key, track.addedAt(), json.writeValueAsString(track))));
		}
		return new PageRows(offset, page.totalOrZero(), List.copyOf(rows), removed, duplicates, requestedAt);
	}

	/**
	 * Whether {@code other} reports the same count and lists the same tracks, saved at
	 * the same times (tracks saved in the same second in any order).
	 */
	boolean sameListing(PageRows other) {
		return this.spotifyTotal == other.spotifyTotal && this.removed == other.removed
				&& TieRuns.sameListing(tracks(), other.tracks());
	}

	/** The rows alone, in order. */
	List<TrackRow> tracks() {
		return this.rows.stream().map(Indexed::row).toList();
	}

}
