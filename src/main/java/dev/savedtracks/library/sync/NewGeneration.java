package dev.savedtracks.library.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

	private final Set<String> keys = new HashSet<>();

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
		this.removed += page.removed();
		this.duplicates += page.duplicates();
		List<SeqRow> fresh = new ArrayList<>(page.rows().size());
		for (PageRows.Indexed indexed : page.rows()) {
			TrackRow row = indexed.row();
			this.listing.update((row.key() + "@" + row.addedAt() + "\n").getBytes(StandardCharsets.UTF_8));
			if (!this.keys.add(row.key())) {
				// Listed on an earlier page too: Spotify's answers shifted, or it
				// lists the track twice.
				this.listedTwice = true;
				this.duplicates++;
				keepAroundShift(page);
				continue;
			}
			// Position p in Spotify's order is seq (count - p): the newest save has
			// the highest seq.
			int seq = this.spotifyTotal - page.offset() - indexed.index();
			this.topSeq = Math.max(this.topSeq, seq);
			fresh.add(new SeqRow(seq, row));
		}
		this.previous = page;
		this.unwritten.addAll(fresh);
		this.rows += fresh.size();
		if (this.unwritten.size() >= ROWS_PER_WRITE) {
			write();
		}
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
	 * Whether the copy holds a track for every item its listing counted (no item without
	 * a track, none unlisted), and none of {@code others}.
	 */
	boolean holdsEveryItemAndNoneOf(List<TrackRow> others) {
		return this.rows == this.spotifyTotal && others.stream().noneMatch(row -> this.keys.contains(row.key()));
	}

	boolean consistent() {
		return !this.drifted && !this.listedTwice;
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
