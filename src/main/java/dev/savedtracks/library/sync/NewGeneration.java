package dev.savedtracks.library.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.store.NewCopy;
import dev.savedtracks.library.store.SeqRow;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.system.Sha256;

/**
 * A new generation of a library being written page by page, in Spotify's order, and what
 * validates it. A copy whose sync failed is kept as it is (see {@link StoredPages}): its
 * rows already stored and the ones still in memory, so that the next attempt can go on
 * from {@link #nextPage()}.
 * <p>
 * Each item is stored at its place counted from the bottom of the library, as the page
 * that listed it saw it: the page's count less the item's offset. A save goes on top and
 * raises the count by one, so that place does not move when a person saves tracks while
 * the pages are read, though every offset does: pages answered before and after a save
 * list the tracks below it one place apart. Where a page answered after a save follows
 * one answered before, it lists again the item that ended the previous one, at the same
 * place; where it is followed by one answered before (pages are asked for side by side),
 * the places between them were listed by neither, and {@link #pagesMissing} names the
 * pages that hold them now, which {@link #fill} takes in. A count below the first page's
 * (a removal, or Spotify's own drift) is not trusted to place anything: those pages are
 * placed by their offsets, as if nothing moved. Nor are short pages (Spotify leaves some
 * unavailable tracks out, and the places of the items after them are not known): a save
 * during the sync of such a library still costs a new attempt.
 */
final class NewGeneration {

	/**
	 * Rows of a new copy stored per transaction: eight pages, so that a sync of 100,000
	 * tracks takes 250 transactions (each checking the lease) rather than 2,000, and the
	 * writes still keep pace with the pages as they arrive.
	 */
	private static final int ROWS_PER_WRITE = 8 * SyncPages.PAGE;

	/** The most pages read again to tell a shift from Spotify's own double listing. */
	private static final int MAX_PAGES_AROUND_SHIFTS = 6;

	/** The most places without an item looked for, so a wrecked copy costs no time. */
	private static final int MAX_MISSING_PLACES = 100_000;

	private final LibraryWriter writer;

	private final String accountId;

	final long generation;

	private final int spotifyTotal;

	/** The first page the copy was read from. */
	final PageRows first;

	private Lease lease;

	/** The place of each track the copy holds. */
	private final Map<String, Integer> places = new HashMap<>();

	/**
	 * The places, from 1 (the oldest save) to the first page's count, that an item of the
	 * copy holds (with a track or without one).
	 */
	private final BitSet held = new BitSet();

	/** The lowest place the pages read in order held: the next page goes below it. */
	private int lowest = Integer.MAX_VALUE;

	/** Rows added but not yet stored: written a few pages at a time. */
	private final List<SeqRow> unwritten = new ArrayList<>();

	private final MessageDigest listing = Sha256.newDigest();

	int rows;

	private int topSeq = Integer.MIN_VALUE;

	private int removed;

	private int duplicates;

	private boolean drifted;

	private boolean listedTwice;

	/**
	 * Whether a page put a track where the pages before it already held others: its count
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

	/**
	 * The pages around the first places where a track was listed again, by offset: read
	 * again to tell a shift from Spotify's own double listing.
	 */
	final Map<Integer, PageRows> aroundShifts = new TreeMap<>();

	private @Nullable PageRows previous;

	/** Starts a copy with its first page. */
	NewGeneration(LibraryWriter writer, String accountId, long generation, PageRows first, Lease lease) {
		this.writer = writer;
		this.accountId = accountId;
		this.generation = generation;
		this.spotifyTotal = first.spotifyTotal();
		this.first = first;
		this.lease = lease;
		add(first);
	}

	/** The index of the page that comes next. */
	int nextPage() {
		PageRows last = this.previous;
		return (last != null) ? last.offset() / SyncPages.PAGE + 1 : 0;
	}

	/** Goes on with the copy in a later sync, which holds {@code lease}. */
	void continueUnder(Lease lease) {
		this.lease = lease;
	}

	/** Adds the next page; pages come in Spotify's order. */
	void add(PageRows page) {
		this.drifted |= page.spotifyTotal() != this.spotifyTotal;
		int top = topPlace(page);
		int repeatedWithoutTrack = 0;
		List<SeqRow> fresh = new ArrayList<>(page.rows().size());
		@Nullable TrackRow[] items = items(page);
		this.shortPage |= items.length < SyncPages.PAGE && page.offset() + items.length < page.spotifyTotal();
		for (int index = 0; index < items.length; index++) {
			TrackRow row = items[index];
			int place = top - index;
			if (row == null) {
				if (place < this.lowest) {
					hold(place);
					this.lowest = place;
				}
				else if (this.held.get(place)) {
					repeatedWithoutTrack++;
				}
				continue;
			}
			this.listing.update((row.key() + "@" + row.addedAt() + "\n").getBytes(StandardCharsets.UTF_8));
			Integer before = this.places.get(row.key());
			if (before != null) {
				if (before != place) {
					// Listed on an earlier page too, elsewhere: a save deep in the
					// library shifted the pages, or Spotify lists the track twice.
					this.listedTwice = true;
					this.duplicates++;
					keepAroundShift(page);
				}
				// At the same place: tracks were saved on top between the two pages.
				continue;
			}
			if (place >= this.lowest) {
				// Where earlier pages already hold items: placed below them, still in
				// Spotify's order.
				this.misplaced = true;
				place = this.lowest - 1;
			}
			this.lowest = place;
			fresh.add(place(place, row));
		}
		// Items without a track listed again by a page that overlaps the previous one
		// are counted once.
		int repeatedRemoved = Math.min(repeatedWithoutTrack, page.removed());
		this.removed += page.removed() - repeatedRemoved;
		this.duplicates += page.duplicates() - Math.min(repeatedWithoutTrack - repeatedRemoved, page.duplicates());
		this.previous = page;
		this.unwritten.addAll(fresh);
		if (this.unwritten.size() >= ROWS_PER_WRITE) {
			write();
		}
	}

	/**
	 * Takes in the items of a page read again at the end of the sync that stand at places
	 * no page held.
	 * @return {@code false} when the page contradicts the copy (a track at another place,
	 * or another track at a place held): the listing moved otherwise than by saves on top
	 */
	boolean fill(PageRows page) {
		if (page.spotifyTotal() < this.spotifyTotal) {
			return false;
		}
		int top = topPlace(page);
		@Nullable TrackRow[] items = items(page);
		for (int index = 0; index < items.length; index++) {
			TrackRow row = items[index];
			int place = top - index;
			boolean within = place >= 1 && place <= this.spotifyTotal;
			if (row == null) {
				if (within && !this.held.get(place)) {
					hold(place);
					this.removed++;
				}
				continue;
			}
			Integer before = this.places.get(row.key());
			if (before != null) {
				if (before != place) {
					return false;
				}
				continue;
			}
			if (!within) {
				// Saved on top since the sync began: taken in with the other saves.
				continue;
			}
			if (this.held.get(place)) {
				return false;
			}
			this.listing.update((row.key() + "@" + row.addedAt() + "\n").getBytes(StandardCharsets.UTF_8));
			this.unwritten.add(place(place, row));
		}
		return true;
	}

	/**
	 * The pages that hold, when Spotify counts {@code total} items, the places no page
	 * held, in order.
	 * @return the pages, or {@code null} when they are more than {@code max}, or when the
	 * copy's places cannot be trusted (a track was misplaced or listed twice, a page came
	 * short)
	 */
	@Nullable List<Integer> pagesMissing(int total, int max) {
		if (this.misplaced || this.listedTwice || this.shortPage) {
			return null;
		}
		TreeSet<Integer> pages = new TreeSet<>();
		int looked = 0;
		for (int place = this.held.nextClearBit(1); place <= this.spotifyTotal; place = this.held
			.nextClearBit(place + 1)) {
			pages.add((total - place) / SyncPages.PAGE);
			if (pages.size() > max || ++looked > MAX_MISSING_PLACES) {
				return null;
			}
		}
		return List.copyOf(pages);
	}

	/**
	 * The place of the page's first item: its count less its offset. A count below the
	 * first page's is not trusted (see the class comment).
	 */
	private int topPlace(PageRows page) {
		return Math.max(page.spotifyTotal(), this.spotifyTotal) - page.offset();
	}

	/**
	 * The page's items by index: the row of each, or {@code null} for an item that gave
	 * none (no track, or listed twice in the page).
	 */
	private static @Nullable TrackRow[] items(PageRows page) {
		@Nullable TrackRow[] items = new TrackRow[page.rows().size() + page.removed() + page.duplicates()];
		for (PageRows.Indexed indexed : page.rows()) {
			items[indexed.index()] = indexed.row();
		}
		return items;
	}

	private void hold(int place) {
		if (place >= 1 && place <= this.spotifyTotal) {
			this.held.set(place);
		}
	}

	private SeqRow place(int place, TrackRow row) {
		this.places.put(row.key(), place);
		hold(place);
		this.topSeq = Math.max(this.topSeq, place);
		this.rows++;
		return new SeqRow(place, row);
	}

	private void keepAroundShift(PageRows page) {
		if (this.aroundShifts.size() < MAX_PAGES_AROUND_SHIFTS || this.aroundShifts.containsKey(page.offset())) {
			this.aroundShifts.put(page.offset(), page);
			PageRows before = this.previous;
			if (before != null && before.offset() == page.offset() - SyncPages.PAGE) {
				this.aroundShifts.put(before.offset(), before);
			}
		}
	}

	/** Stores the rows not yet written, in one transaction. */
	private void write() {
		if (!this.unwritten.isEmpty()) {
			this.writer.write(this.accountId, this.generation, List.copyOf(this.unwritten), this.lease);
			this.unwritten.clear();
		}
	}

	/**
	 * Whether an item of the copy holds every place its listing counted, no track was
	 * placed by anything but its place, and the copy holds none of {@code others}.
	 */
	boolean holdsEveryPlaceAndNoneOf(List<TrackRow> others) {
		return !this.misplaced && !this.listedTwice && !this.shortPage && this.held.cardinality() == this.spotifyTotal
				&& others.stream().noneMatch(row -> this.places.containsKey(row.key()));
	}

	boolean consistent() {
		return !this.drifted && !this.listedTwice && !this.misplaced;
	}

	String digest() {
		try {
			return HexFormat.of().formatHex(((MessageDigest) this.listing.clone()).digest());
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Writes what is left and describes the copy, ready to be switched to. */
	NewCopy finish(@Nullable StaleReason mark) {
		write();
		int top = (this.rows > 0) ? this.topSeq : 0;
		return new NewCopy(this.generation, top, this.rows, this.spotifyTotal, this.removed, this.duplicates, digest(),
				mark);
	}

}
