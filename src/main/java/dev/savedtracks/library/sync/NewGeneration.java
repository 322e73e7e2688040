package dev.savedtracks.library.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * Each item is stored at its place counted from the bottom of the library
 * ({@link Places}), which saves on top do not move: pages answered before and after a
 * save list the tracks below it one offset apart, but at the same places. Where a page
 * answered after a save follows one answered before, it lists again the items that ended
 * the previous one, at the same places; where it is followed by one answered before
 * (pages are asked for side by side), the places between them were listed by neither, and
 * {@link #pagesMissing} names the pages that hold them now, which {@link #fill} takes in.
 * Short pages (Spotify leaves some unavailable tracks out) leave the places of the items
 * after them unknown: a save during the sync of such a library still costs a new attempt.
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

	private final LibraryWriter writer;

	private final String accountId;

	final long generation;

	private final int spotifyTotal;

	/** The first page the copy was read from. */
	final PageRows first;

	/**
	 * When Spotify was asked for the first page that vouches for the copy:
	 * {@link #first}'s request, or the later sync's that took the copy up.
	 */
	private Instant checkedAt;

	private Lease lease;

	/** Where each item stands. */
	private final Places places;

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
		this.places = new Places(first.spotifyTotal());
		this.first = first;
		this.checkedAt = first.requestedAt();
		this.lease = lease;
		add(first);
	}

	/** The index of the page that comes next. */
	int nextPage() {
		PageRows last = this.previous;
		return (last != null) ? last.offset() / SyncPages.PAGE + 1 : 0;
	}

	/**
	 * Goes on with the copy in a later sync, which holds {@code lease} and found
	 * {@code first} the same as the copy's: the copy is as recent as that page.
	 */
	void continueUnder(Lease lease, PageRows first) {
		this.lease = lease;
		this.checkedAt = first.requestedAt();
	}

	/** See {@link #checkedAt}. */
	Instant checkedAt() {
		return this.checkedAt;
	}

	/** Adds the next page; pages come in Spotify's order. */
	void add(PageRows page) {
		this.drifted |= page.spotifyTotal() != this.spotifyTotal;
		int top = this.places.top(page);
		int repeatedWithoutTrack = 0;
		List<SeqRow> fresh = new ArrayList<>(page.rows().size());
		@Nullable TrackRow[] items = Places.items(page);
		this.places.reading(page, items.length);
		for (int index = 0; index < items.length; index++) {
			TrackRow row = items[index];
			int place = top - index;
			if (row == null) {
				if (this.places.holdInOrder(place)) {
					repeatedWithoutTrack++;
				}
				continue;
			}
			this.listing.update((row.key() + "@" + row.addedAt() + "\n").getBytes(StandardCharsets.UTF_8));
			Integer before = this.places.of(row.key());
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
			fresh.add(row(this.places.placeInOrder(row.key(), place), row));
		}
		// Items without a track listed again by a page that overlaps the previous one
		// are counted once.
		int repeatedRemoved = Math.min(repeatedWithoutTrack, page.removed());
		this.removed += page.removed() - repeatedRemoved;
		this.duplicates += page.duplicates() - Math.min(repeatedWithoutTrack - repeatedRemoved, page.duplicates());
		this.previous = page;
		this.unwritten.addAll(fresh);
		if (this.unwritten.size() >= ROWS_PER_WRITE || dueBeforeTheEnd(page)) {
			write();
		}
	}

	/**
	 * Whether a library of more than one write's rows nears its end with as many rows
	 * unwritten as are still to come: the rows still unwritten when the last page arrives
	 * are written before the sync can answer, so the last writes halve (four pages, two,
	 * one, one) instead of leaving up to eight pages to the end. A smaller library is
	 * written once, at the end, as before.
	 */
	private boolean dueBeforeTheEnd(PageRows page) {
		int stillToList = this.spotifyTotal - (page.offset() + SyncPages.PAGE);
		return this.spotifyTotal > ROWS_PER_WRITE && stillToList < ROWS_PER_WRITE
				&& this.unwritten.size() >= stillToList;
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
		int top = this.places.top(page);
		@Nullable TrackRow[] items = Places.items(page);
		for (int index = 0; index < items.length; index++) {
			TrackRow row = items[index];
			int place = top - index;
			if (row == null) {
				if (this.places.within(place) && !this.places.held(place)) {
					this.places.hold(place);
					this.removed++;
				}
				continue;
			}
			Integer before = this.places.of(row.key());
			if (before != null) {
				if (before != place) {
					return false;
				}
				continue;
			}
			if (!this.places.within(place)) {
				// Saved on top since the sync began: taken in with the other saves.
				continue;
			}
			if (this.places.held(place)) {
				return false;
			}
			this.listing.update((row.key() + "@" + row.addedAt() + "\n").getBytes(StandardCharsets.UTF_8));
			this.places.place(row.key(), place);
			this.unwritten.add(row(place, row));
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
		return (this.places.trusted() && !this.listedTwice) ? this.places.pagesMissing(total, max) : null;
	}

	/** A new row of the copy, at {@code place}. */
	private SeqRow row(int place, TrackRow row) {
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
		return this.places.trusted() && !this.listedTwice && this.places.allHeld() && !this.places.holdsAnyOf(others);
	}

	boolean consistent() {
		return !this.drifted && !this.listedTwice && !this.places.misplaced();
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
				mark, this.checkedAt);
	}

}
