package dev.savedtracks.library.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.store.NewCopy;
import dev.savedtracks.library.store.SeqRow;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.system.Sha256;

/**
 * Reads every page of a library into a new generation and switches the library to it. A
 * copy is accepted when its pages agreed on the count and listed no track twice. When
 * they did not, the first page is asked for once more: the same first page with the same
 * count means the person changed nothing during the sync (a save goes on top, a removal
 * lowers the count), so the disagreement is Spotify's own (counts drifting between pages,
 * a track listed twice) and reading again would not help: the copy is kept, without
 * duplicates. A track listed on two pages is Spotify's own only when the pages around it
 * read the same again (they are asked for once more): otherwise a save deep in the
 * library shifted the pages below it while they were read, and a track is missing. The
 * same holds, at no cost, when the listing is the current copy's. Otherwise it reads
 * again from the new first page, up to {@code LIBRARY_MAX_SYNC_ATTEMPTS} times; after the
 * last one, a person with no copy yet gets the last listing (without duplicates) marked
 * as possibly inconsistent, and anyone else keeps their copy.
 */
@Component
class FullSync {

	private static final Log logger = LogFactory.getLog(FullSync.class);

	/**
	 * Rows of a new copy stored per transaction: eight pages, so that a sync of 100,000
	 * tracks takes 250 transactions (each checking the lease) rather than 2,000, and the
	 * writes still keep pace with the pages as they arrive.
	 */
	private static final int ROWS_PER_WRITE = 8 * SyncPages.PAGE;

	/** The most pages read again to tell a shift from Spotify's own double listing. */
	private static final int MAX_PAGES_AROUND_SHIFTS = 6;

	private final LibraryWriter writer;

	private final LibrarySettings settings;

	FullSync(LibraryWriter writer, LibrarySettings settings) {
		this.writer = writer;
		this.settings = settings;
	}

	/**
	 * Reads the library whose first page is {@code first} into a new copy and switches to
	 * it.
	 * @return {@link SyncOutcome.Synced} with the new head, or
	 * {@link SyncOutcome.LibraryChanging} when no attempt took a consistent copy
	 */
	Mono<SyncOutcome> run(String accountId, @Nullable Head cached, SyncPages pages, Lease lease, PageRows first) {
		String previousListing = (cached != null) ? cached.contentDigest() : null;
		return attempts(new Sync(accountId, cached, pages, lease), first, previousListing, 1);
	}

	private Mono<SyncOutcome> attempts(Sync sync, PageRows first, @Nullable String previousListing, int attempt) {
		int attempts = this.settings.maxSyncAttempts();
		return attempt(sync, first, previousListing, attempt).flatMap(done -> {
			if (done.head() != null) {
				return Mono.just(new SyncOutcome.Synced(done.head(), SyncOutcome.Change.FULL));
			}
			if (attempt >= attempts) {
				return Mono.just(new SyncOutcome.LibraryChanging(attempts));
			}
			Mono<PageRows> next = (done.firstAgain() != null) ? Mono.just(done.firstAgain()) : sync.pages().first();
			return next.flatMap(nextFirst -> attempts(sync, nextFirst, done.listing(), attempt + 1));
		});
	}

	/**
	 * One attempt of a full sync. Its copy is discarded unless switched to, whether the
	 * attempt fails or decides to read again.
	 */
	private Mono<Attempt> attempt(Sync sync, PageRows first, @Nullable String previousListing, int attempt) {
		SyncPages pages = sync.pages();
		int pageCount = (first.spotifyTotal() + SyncPages.PAGE - 1) / SyncPages.PAGE;
		pages.progress.pagesNeeded(pages.progress.snapshot().pagesFetched() + Math.max(pageCount - 1, 0));
		NewGeneration copy = new NewGeneration(sync.accountId(),
				this.writer.startGeneration(sync.accountId(), sync.cached(), sync.lease()), first.spotifyTotal(),
				sync.lease());
		copy.add(first);
		return pages.range(1, pageCount - 1)
			// Written one after the other, in order, as they arrive.
			.doOnNext(copy::add)
			.then(Mono.defer(() -> {
				if (copy.consistent() || copy.digest().equals(previousListing)) {
					return Mono.just(settle(sync, copy, null, null));
				}
				return pages.first().flatMap(firstAgain -> {
					if (!firstAgain.sameListing(first)) {
						return Mono.just(changed(sync, copy, firstAgain, attempt));
					}
					// Nothing changed on top. A track listed on two pages is Spotify's
					// own
					// double listing only when those pages still read the same: a save
					// deep in the library with a past time shifts every page below it,
					// and the track it pushed out of a page already read is missing.
					return shifted(pages, copy).map(shift -> shift ? changed(sync, copy, firstAgain, attempt)
							: settle(sync, copy, null, firstAgain));
				});
			}))
			// Signals arrive one after the other, so a discard never races a write of
			// the copy. A cancelled sync (interrupted at shutdown) leaves its rows to
			// the next sync, which deletes every generation above the current one.
			.doOnError(ex -> this.writer.discard(sync.accountId(), copy.generation, sync.lease()));
	}

	/**
	 * Whether the pages around each place where a track was listed again (the page that
	 * listed it again and the one before) now read differently from what the copy holds:
	 * the listing shifted while it was read.
	 */
	private static Mono<Boolean> shifted(SyncPages pages, NewGeneration copy) {
		return Flux.fromIterable(copy.aroundShifts.keySet())
			.concatMap(offset -> pages.range(offset / SyncPages.PAGE, 1))
			.any(again -> !again.sameListing(copy.aroundShifts.get(again.offset())));
	}

	/** The listing changed during the attempt: read again, or keep what was read. */
	private Attempt changed(Sync sync, NewGeneration copy, PageRows firstAgain, int attempt) {
		logger.info("Spotify's listing of a library changed during sync attempt " + attempt);
		if (attempt < this.settings.maxSyncAttempts() || sync.cached() != null) {
			return discarded(sync, copy, firstAgain);
		}
		return settle(sync, copy, StaleReason.LIBRARY_CHANGING, firstAgain);
	}

	/** Switches the library to the copy if its rows add up; discards it otherwise. */
	private Attempt settle(Sync sync, NewGeneration copy, @Nullable StaleReason mark, @Nullable PageRows firstAgain) {
		Optional<Head> head = this.writer.switchTo(sync.accountId(), sync.cached(), copy.finish(mark), copy.rows,
				sync.lease());
		return head.map(switched -> new Attempt(switched, copy.digest(), firstAgain))
			.orElseGet(() -> discarded(sync, copy, firstAgain));
	}

	private Attempt discarded(Sync sync, NewGeneration copy, @Nullable PageRows firstAgain) {
		this.writer.discard(sync.accountId(), copy.generation, sync.lease());
		return new Attempt(null, copy.digest(), firstAgain);
	}

	/** What every attempt of one full sync shares. */
	private record Sync(String accountId, @Nullable Head cached, SyncPages pages, Lease lease) {
	}

	/**
	 * How one attempt of a full sync ended: switched to its copy ({@code head}), or not,
	 * with the listing it read and, when it asked for it, Spotify's new first page.
	 */
	private record Attempt(@Nullable Head head, String listing, @Nullable PageRows firstAgain) {
	}

	/**
	 * A new generation of a library being written page by page, in Spotify's order, and
	 * what validates it.
	 */
	private final class NewGeneration {

		private final String accountId;

		private final long generation;

		private final int spotifyTotal;

		private final Lease lease;

		private final Set<String> keys = new HashSet<>();

		/** Rows added but not yet stored: written a few pages at a time. */
		private final List<SeqRow> unwritten = new ArrayList<>();

		private final MessageDigest listing = Sha256.newDigest();

		private int rows;

		private int topSeq = Integer.MIN_VALUE;

		private int removed;

		private int duplicates;

		private boolean drifted;

		private boolean listedTwice;

		/**
		 * The pages around the first places where a track was listed again, by offset:
		 * read again to tell a shift from Spotify's own double listing.
		 */
		private final Map<Integer, PageRows> aroundShifts = new TreeMap<>();

		private @Nullable PageRows previous;

		NewGeneration(String accountId, long generation, int spotifyTotal, Lease lease) {
			this.accountId = accountId;
			this.generation = generation;
			this.spotifyTotal = spotifyTotal;
			this.lease = lease;
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
				FullSync.this.writer.write(this.accountId, this.generation, List.copyOf(this.unwritten), this.lease);
				this.unwritten.clear();
			}
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
			return new NewCopy(this.generation, top, this.rows, this.spotifyTotal, this.removed, this.duplicates,
					digest(), mark);
		}

	}

}
