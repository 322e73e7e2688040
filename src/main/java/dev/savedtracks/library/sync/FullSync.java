package dev.savedtracks.library.sync;

import java.util.List;
import java.util.Optional;

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
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.spotify.SpotifyUnavailable;

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
 * same holds, at no cost, when the listing is the current copy's. When the new first page
 * shows tracks saved on top and nothing else moved, the pass is finished, whenever the
 * saves landed (pages in flight on both sides of a save included): the places no page
 * listed are read again, and the saves are added on top ({@link #takeInOnTop}). Otherwise
 * it reads again from the new first page, up to {@code LIBRARY_MAX_SYNC_ATTEMPTS} times;
 * after the last one, a person with no copy yet gets the last listing (without
 * duplicates) marked as possibly inconsistent, and anyone else keeps their copy. A sync
 * that fails (Spotify failing longer than a long sync waits) keeps the pages it read
 * ({@link StoredPages}), and the next one goes on from there when its first page shows
 * that nothing moved.
 */
@Component
class FullSync {

	private static final Log logger = LogFactory.getLog(FullSync.class);

	/**
	 * How many times the places no page held are looked for again: saves made while they
	 * are read move them once more.
	 */
	private static final int MAX_FILL_ROUNDS = 3;

	/**
	 * The most pages read again to take in the places no page held: each save costs a
	 * page or two per pair of pages in flight on both sides of it, and a person who keeps
	 * saving costs a new attempt instead.
	 */
	private static final int MAX_FILL_PAGES = 32;

	private final LibraryWriter writer;

	private final LibrarySettings settings;

	private final StoredPages stored;

	FullSync(LibraryWriter writer, LibrarySettings settings, StoredPages stored) {
		this.writer = writer;
		this.settings = settings;
		this.stored = stored;
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
	 * One attempt of a full sync, going on with the pages a failed sync kept
	 * ({@link StoredPages}) when nothing moved since. Its copy is discarded when it
	 * decides to read again, kept when it fails, and switched to otherwise.
	 */
	private Mono<Attempt> attempt(Sync sync, PageRows first, @Nullable String previousListing, int attempt) {
		SyncPages pages = sync.pages();
		int pageCount = (first.spotifyTotal() + SyncPages.PAGE - 1) / SyncPages.PAGE;
		NewGeneration kept = (attempt == 1) ? this.stored.resume(sync.accountId(), sync.cached(), first) : null;
		NewGeneration copy;
		if (kept != null) {
			logger.info("A full sync goes on from page " + kept.nextPage() + " of " + pageCount);
			kept.continueUnder(sync.lease(), first);
			copy = kept;
		}
		else {
			copy = new NewGeneration(this.writer, sync.accountId(),
					this.writer.startGeneration(sync.accountId(), sync.cached(), sync.lease()), first, sync.lease());
		}
		int from = copy.nextPage();
		pages.progress.pagesNeeded(pages.progress.snapshot().pagesFetched() + Math.max(pageCount - from, 0));
		return pages.range(from, pageCount - from)
			// Written one after the other, in order, as they arrive.
			.doOnNext(copy::add)
			.then(Mono.defer(() -> {
				if (copy.consistent() || copy.digest().equals(previousListing)) {
					return Mono.just(settle(sync, copy, null, null));
				}
				return pages.first().flatMap(firstAgain -> {
					if (!firstAgain.sameListing(first)) {
						List<TrackRow> onTop = SyncPlan.savedOnTop(first, firstAgain);
						return (onTop != null) ? takeInOnTop(sync, copy, firstAgain, onTop, pageCount, attempt)
								: Mono.just(changed(sync, copy, firstAgain, attempt));
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
			// Signals arrive one after the other, so keeping or discarding the copy never
			// races a write of it. Only Spotify's failures keep it: any other (a lease
			// lost, a write refused) would fail again when the copy is taken up. A
			// cancelled sync (interrupted at shutdown) leaves its rows to the next sync,
			// which deletes every generation above the current one.
			.doOnError(ex -> {
				if (ex instanceof SpotifyUnavailable) {
					this.stored.keep(sync.accountId(), sync.cached(), copy);
				}
				else {
					this.writer.discard(sync.accountId(), copy.generation, sync.lease());
				}
			});
	}

	/**
	 * Tracks were saved on top during the attempt, and nothing else moved. Each item was
	 * stored at its place counted from the bottom, which saves on top do not move
	 * ({@link NewGeneration}): pages answered after a save listed some items again (kept
	 * once), and where a page answered after a save came before one answered earlier, or
	 * at the end, which the saves pushed past the pages read, places were listed by no
	 * page; the pages that hold them now are read ({@link #fillGaps}). The copy is
	 * switched to when it then holds every place its listing counted, and the saves are
	 * added on top of it, as a sync that finds them does, instead of reading the whole
	 * library again.
	 */
	private Mono<Attempt> takeInOnTop(Sync sync, NewGeneration copy, PageRows firstAgain, List<TrackRow> onTop,
			int pageCount, int attempt) {
		boolean patient = pageCount >= SyncPages.LONG_SYNC_PAGES;
		return fillGaps(sync.pages(), copy, firstAgain.spotifyTotal(), patient, 1).map(filled -> {
			if (!filled || !copy.holdsEveryPlaceAndNoneOf(onTop)) {
				return changed(sync, copy, firstAgain, attempt);
			}
			Attempt settled = settle(sync, copy, null, firstAgain);
			Head head = settled.head();
			if (head == null) {
				return settled;
			}
			logger.info("Tracks saved during a full sync were added on top of it");
			// Dated like the copy they go on top of: its pages were read before the new
			// first page was.
			Head added = this.writer
				.addOnTop(sync.accountId(), head, onTop, firstAgain.spotifyTotal(), copy.checkedAt(), sync.lease())
				.orElse(head);
			return new Attempt(added, settled.listing(), firstAgain);
		});
	}

	/**
	 * Reads the pages that hold, when Spotify counts {@code total} items, the places of
	 * the copy no page held, and takes their items in; again when saves made meanwhile
	 * moved them (the pages' own counts say where), at most {@value #MAX_FILL_ROUNDS}
	 * times and {@value #MAX_FILL_PAGES} pages each time.
	 * @return whether every place is held now; {@code false} also when a page read again
	 * shows that the listing moved otherwise than by saves on top
	 */
	private static Mono<Boolean> fillGaps(SyncPages pages, NewGeneration copy, int total, boolean patient, int round) {
		List<Integer> missing = copy.pagesMissing(total, MAX_FILL_PAGES);
		if (missing == null || missing.isEmpty() || round > MAX_FILL_ROUNDS) {
			return Mono.just(missing != null && missing.isEmpty());
		}
		pages.progress.pagesNeeded(pages.progress.snapshot().pagesFetched() + missing.size());
		return pages.pages(missing, patient)
			.reduce(new Filled(true, total),
					(filled, page) -> new Filled(filled.agrees() && copy.fill(page),
							Math.max(filled.total(), page.spotifyTotal())))
			.flatMap(filled -> filled.agrees() ? fillGaps(pages, copy, filled.total(), patient, round + 1)
					: Mono.just(false));
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

	/**
	 * Whether the pages read again agreed with the copy, and the highest count they gave.
	 */
	private record Filled(boolean agrees, int total) {
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

}
