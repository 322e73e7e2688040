package dev.savedtracks.library.sync;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.store.TrackRow;

/**
 * Where the items of a new copy stand, each at its place counted from the bottom of the
 * library as the page that listed it saw it: the page's count less the item's offset
 * (place 1 is the oldest save, the first page's count the newest). A save goes on top and
 * raises the count by one, so that place does not move when a person saves tracks while
 * the pages are read, though every offset does. A count below the first page's (a
 * removal, or Spotify's own drift) is not trusted to place anything: such a page is
 * placed by its offsets, as if nothing moved. See {@link NewGeneration}.
 */
final class Places {

	/** The most places without an item looked for, so a wrecked copy costs no time. */
	private static final int MAX_MISSING_PLACES = 100_000;

	/** The first page's count: the places are 1 to this. */
	private final int count;

	/** The place of each track. */
	private final Map<String, Integer> ofTrack = new HashMap<>();

	/** The places an item holds (with a track or without one). */
	private final BitSet held = new BitSet();

	/** The lowest place the pages read in order held: the next page goes below it. */
	private int lowest = Integer.MAX_VALUE;

	/**
	 * Whether a page put a track where the pages before it already held items: its count
	 * rose for another reason than saves on top (a save deep in the library, Spotify's
	 * own drift), and the track was placed below them instead.
	 */
	private boolean misplaced;

	/**
	 * Whether a page in the middle of the library listed fewer items than a page holds:
	 * Spotify leaves some unavailable tracks out, and the places of the items after them
	 * are not known.
	 */
	private boolean shortPage;

	Places(int count) {
		this.count = count;
	}

	/** The place of the page's first item (see the class comment). */
	int top(PageRows page) {
		return Math.max(page.spotifyTotal(), this.count) - page.offset();
	}

	/**
	 * The page's items by index: the row of each, or {@code null} for an item that gave
	 * none (no track, or listed twice in the page).
	 */
	static @Nullable TrackRow[] items(PageRows page) {
		@Nullable TrackRow[] items = new TrackRow[page.rows().size() + page.removed() + page.duplicates()];
		for (PageRows.Indexed indexed : page.rows()) {
			items[indexed.index()] = indexed.row();
		}
		return items;
	}

	/** Notes a page read in order, before its items are placed. */
	void reading(PageRows page, int items) {
		this.shortPage |= items < SyncPages.PAGE && page.offset() + items < page.spotifyTotal();
	}

	/** The place of a track, or {@code null} when none holds it yet. */
	@Nullable Integer of(String key) {
		return this.ofTrack.get(key);
	}

	boolean held(int place) {
		return place >= 1 && place <= this.count && this.held.get(place);
	}

	/** Whether {@code place} is one of the first page's listing. */
	boolean within(int place) {
		return place >= 1 && place <= this.count;
	}

	/**
	 * An item without a track at {@code place} on a page read in order.
	 * @return whether it stands where an earlier page listed an item already
	 */
	boolean holdInOrder(int place) {
		if (place < this.lowest) {
			hold(place);
			this.lowest = place;
			return false;
		}
		return held(place);
	}

	/**
	 * Places a new track of a page read in order at {@code place}, or, when earlier pages
	 * hold items there or below, just below them, still in Spotify's order.
	 * @return where it was placed
	 */
	int placeInOrder(String key, int place) {
		int placed = place;
		if (placed >= this.lowest) {
			this.misplaced = true;
			placed = this.lowest - 1;
		}
		this.lowest = placed;
		place(key, placed);
		return placed;
	}

	/** Places a track found at a place no page held. */
	void place(String key, int place) {
		this.ofTrack.put(key, place);
		hold(place);
	}

	void hold(int place) {
		if (within(place)) {
			this.held.set(place);
		}
	}

	/**
	 * Whether the places tell where items stand: no track was placed elsewhere, no page
	 * came short.
	 */
	boolean trusted() {
		return !this.misplaced && !this.shortPage;
	}

	/** Whether a track was placed below the pages before it (see {@link #misplaced}). */
	boolean misplaced() {
		return this.misplaced;
	}

	/** Whether every place of the first page's listing is held. */
	boolean allHeld() {
		return this.held.cardinality() == this.count;
	}

	/** Whether a track of {@code rows} has a place. */
	boolean holdsAnyOf(List<TrackRow> rows) {
		return rows.stream().anyMatch(row -> this.ofTrack.containsKey(row.key()));
	}

	/**
	 * The pages that hold, when Spotify counts {@code total} items, the places no item
	 * holds, in order; {@code null} when they are more than {@code max}.
	 */
	@Nullable List<Integer> pagesMissing(int total, int max) {
		TreeSet<Integer> pages = new TreeSet<>();
		int looked = 0;
		for (int place = this.held.nextClearBit(1); place <= this.count; place = this.held.nextClearBit(place + 1)) {
			pages.add((total - place) / SyncPages.PAGE);
			if (pages.size() > max || ++looked > MAX_MISSING_PLACES) {
				return null;
			}
		}
		return List.copyOf(pages);
	}

}
