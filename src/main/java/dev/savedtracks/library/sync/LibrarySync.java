package dev.savedtracks.library.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.savedtracks.account.SpotifyAccessTokens;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.store.SeqRow;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.system.Sha256;

/**
 * Brings one person's cached library up to date with as few Spotify requests as possible:
 * the first page, then what {@link SyncPlan} decides (nothing more, the pages holding
 * tracks added on top, or every page). Pages are fetched by one Reactor pipeline over the
 * WebClient, at most {@code SPOTIFY_PAGE_CONCURRENCY} at a time, in order, and written as
 * they arrive; the pipeline is blocked on once, at its edge. Runs under the library's
 * lease, which every write checks.
 */
@Component
public class LibrarySync {

	private static final Log logger = LogFactory.getLog(LibrarySync.class);

	private static final int PAGE = SpotifyClient.PAGE_SIZE;

	/**
	 * Rows of a new copy stored per transaction: eight pages, so that a sync of 100,000
	 * tracks takes 250 transactions (each checking the lease) rather than 2,000, and the
	 * writes still keep pace with the pages as they arrive.
	 */
	private static final int ROWS_PER_WRITE = 8 * PAGE;

	private final SpotifyClient spotify;

	private final SpotifyAccessTokens accessTokens;

	private final LibraryReader tracks;

	private final LibraryWriter writer;

	private final LibraryWriter heads;

	private final JsonMapper json;

	private final SpotifySettings spotifySettings;

	private final LibrarySettings settings;

	private final Clock clock;

	private final Counter pages;

	LibrarySync(SpotifyClient spotify, SpotifyAccessTokens accessTokens, LibraryReader tracks, LibraryWriter writer,
			LibraryWriter heads, JsonMapper json, SpotifySettings spotifySettings, LibrarySettings settings,
			Clock clock, MeterRegistry meters) {
		this.spotify = spotify;
		this.accessTokens = accessTokens;
		this.tracks = tracks;
		this.writer = writer;
		this.heads = heads;
		this.json = json;
		this.spotifySettings = spotifySettings;
		this.settings = settings;
		this.clock = clock;
		this.pages = Counter.builder("library.sync.pages")
			.description("Saved-tracks pages requested from Spotify by syncs")
			.register(meters);
	}

	/** What a sync did, for metrics and tests. */
	public enum Outcome {

		UNCHANGED, ADDED_ON_TOP, FULL

	}

	/** The head after a sync, and what the sync did. */
	public record Result(Head head, Outcome outcome) {
	}

	/**
	 * Syncs the library whose current head is {@code cached} (null: nothing cached).
	 * Waits for the sync's pipeline: the only place a sync blocks.
	 * @param full reconcile the whole library whatever the first page says
	 * @param requester whom the budget's permits are for, and how urgently
	 * @throws FullSyncsExhausted when the copy needs a full sync and this library's full
	 * syncs of the day are used
	 */
	Result synchronise(String accountId, @Nullable Head cached, boolean full, Lease lease,
			SyncProgress.Tracker progress, Requester requester) {
		return Objects.requireNonNull(pipeline(accountId, cached, full, lease, progress, requester).block());
	}

	/**
	 * The whole sync as one pipeline, which does nothing until subscribed: the first
	 * page, the plan, then the pages the plan needs. Pages are published on the
	 * bounded-elastic scheduler, so that the JDBC work that follows each one never runs
	 * on the HTTP client's event loop or on the subscriber's thread.
	 */
	public Mono<Result> pipeline(String accountId, @Nullable Head cached, boolean full, Lease lease,
			SyncProgress.Tracker progress, Requester requester) {
		Pages pages = new Pages(this.accessTokens.forAccount(accountId), progress, requester);
		return Mono.defer(() -> {
			pages.progress.pagesNeeded(1);
			return plannedAndCarriedOut(accountId, cached, full, lease, pages);
		});
	}

	private Mono<Result> plannedAndCarriedOut(String accountId, @Nullable Head cached, boolean full, Lease lease,
			Pages pages) {
		return pages.first().flatMap(first -> {
			List<TrackRow> cachedTop = (cached != null) ? this.tracks.top(accountId, cached, PAGE) : List.of();
			SyncPlan plan = SyncPlan.decide(first, cached, cachedTop, full || fullDue(accountId, cached),
					this.settings.maxTopPages());
			Mono<SyncPlan> planned = (plan instanceof SyncPlan.FetchTop top && cached != null)
					? fetchTop(pages, first, top.pages(), cached, cachedTop) : Mono.just(plan);
			return planned.flatMap(decided -> carryOut(decided, accountId, cached, lease, pages, first));
		});
	}

	private Mono<Result> carryOut(SyncPlan plan, String accountId, @Nullable Head cached, Lease lease, Pages pages,
			PageRows first) {
		if (plan instanceof SyncPlan.Unchanged && cached != null) {
			return Mono.just(new Result(this.writer.confirm(accountId, cached, lease), Outcome.UNCHANGED));
		}
		String why = (plan instanceof SyncPlan.Full fullPlan) ? fullPlan.why() : "";
		if (plan instanceof SyncPlan.AddOnTop add && cached != null) {
			Optional<Head> added = addOnTop(accountId, cached, add.rows(), first.spotifyTotal(), lease);
			if (added.isPresent()) {
				return Mono.just(new Result(added.get(), Outcome.ADDED_ON_TOP));
			}
			why = "a track added on top was already in the library";
		}
		logger.debug("Full sync of a library: " + why);
		if (cached != null) {
			// A person who changes their library before every call would otherwise cost a
			// full sync every time.
			Instant refused = this.heads.takeFullSync(accountId, this.clock.instant(),
					this.settings.maxFullSyncsPerDay());
			if (refused != null) {
				return Mono.error(new FullSyncsExhausted(refused));
			}
		}
		String previousListing = (cached != null) ? cached.contentDigest() : null;
		return fullSync(new FullSync(accountId, cached, pages, lease), first, previousListing, 1)
			.map(head -> new Result(head, Outcome.FULL));
	}

	/**
	 * Whether the copy is due for a full reconciliation (see
	 * {@link SyncPlan#fullReconciliationDue}).
	 */
	private boolean fullDue(String accountId, @Nullable Head cached) {
		return cached == null || cached.fullSyncedAt() == null || SyncPlan.fullReconciliationDue(accountId,
				cached.fullSyncedAt(), this.settings.fullSyncInterval(), this.clock.instant());
	}

	private Mono<SyncPlan> fetchTop(Pages pages, PageRows first, int count, Head cached, List<TrackRow> cachedTop) {
		pages.progress.pagesNeeded(count);
		return pages.range(1, count - 1).collectList().map(rest -> {
			List<TrackRow> rows = new ArrayList<>(first.tracks());
			for (PageRows page : rest) {
				if (page.spotifyTotal() != first.spotifyTotal()) {
					return new SyncPlan.Full("the count changed between pages");
				}
				rows.addAll(page.tracks());
			}
			return SyncPlan.additions(rows, first.spotifyTotal() - cached.spotifyTotal(), cached, cachedTop);
		});
	}

	private Optional<Head> addOnTop(String accountId, Head cached, List<TrackRow> rows, int spotifyTotal, Lease lease) {
		// A re-saved track moves to the top: then it is not new, and only a full sync
		// keeps the order right.
		Set<String> keys = new HashSet<>();
		rows.forEach(row -> keys.add(row.key()));
		if (this.tracks.containsAny(accountId, cached, keys)) {
			return Optional.empty();
		}
		return this.writer.addOnTop(accountId, cached, rows, spotifyTotal, lease);
	}

	/** What every attempt of one full sync shares. */
	private record FullSync(String accountId, @Nullable Head cached, Pages pages, Lease lease) {
	}

	/**
	 * How one attempt of a full sync ended: switched to its copy ({@code head}), or not,
	 * with the listing it read and, when it asked for it, Spotify's new first page.
	 */
	private record Attempt(@Nullable Head head, String listing, @Nullable PageRows firstAgain) {
	}

	/**
	 * Reads every page into a new generation and switches the library to it. A copy is
	 * accepted when its pages agreed on the count and listed no track twice. When they
	 * did not, the first page is asked for once more: the same first page with the same
	 * count means the person changed nothing during the sync (a save goes on top, a
	 * removal lowers the count), so the disagreement is Spotify's own (counts drifting
	 * between pages, a track listed twice) and reading again would not help: the copy is
	 * kept, without duplicates. The same holds, at no cost, when the listing is the
	 * current copy's. Otherwise it reads again from the new first page, up to
	 * {@code LIBRARY_MAX_SYNC_ATTEMPTS} times; after the last one, a person with no copy
	 * yet gets the last listing (without duplicates) marked as possibly inconsistent, and
	 * anyone else keeps their copy.
	 */
	private Mono<Head> fullSync(FullSync sync, PageRows first, @Nullable String previousListing, int attempt) {
		int attempts = this.settings.maxSyncAttempts();
		return attempt(sync, first, previousListing, attempt).flatMap(done -> {
			if (done.head() != null) {
				return Mono.just(done.head());
			}
			if (attempt >= attempts) {
				return Mono.error(new LibraryChangedDuringSync(sync.accountId(), attempts));
			}
			Mono<PageRows> next = (done.firstAgain() != null) ? Mono.just(done.firstAgain()) : sync.pages().first();
			return next.flatMap(nextFirst -> fullSync(sync, nextFirst, done.listing(), attempt + 1));
		});
	}

	/**
	 * One attempt of a full sync. Its copy is discarded unless switched to, whether the
	 * attempt fails or decides to read again.
	 */
	private Mono<Attempt> attempt(FullSync sync, PageRows first, @Nullable String previousListing, int attempt) {
		Pages pages = sync.pages();
		int pageCount = (first.spotifyTotal() + PAGE - 1) / PAGE;
		pages.progress.pagesNeeded(pages.progress.snapshot().pagesFetched() + Math.max(pageCount - 1, 0));
		NewCopy copy = new NewCopy(sync.accountId(),
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
				return pages.first().map(firstAgain -> {
					if (firstAgain.sameListing(first)) {
						return settle(sync, copy, null, firstAgain);
					}
					logger.info("Spotify's listing of a library changed during sync attempt " + attempt);
					if (attempt < this.settings.maxSyncAttempts() || sync.cached() != null) {
						return discarded(sync, copy, firstAgain);
					}
					return settle(sync, copy, StaleReason.LIBRARY_CHANGING, firstAgain);
				});
			}))
			// Signals arrive one after the other, so a discard never races a write of
			// the copy. A cancelled sync (interrupted at shutdown) leaves its rows to
			// the next sync, which deletes every generation above the current one.
			.doOnError(ex -> this.writer.discard(sync.accountId(), copy.generation, sync.lease()));
	}

	/** Switches the library to the copy if its rows add up; discards it otherwise. */
	private Attempt settle(FullSync sync, NewCopy copy, @Nullable StaleReason mark, @Nullable PageRows firstAgain) {
		Optional<Head> head = this.writer.switchTo(sync.accountId(), sync.cached(), copy.finish(mark), copy.rows,
				sync.lease());
		return head.map(switched -> new Attempt(switched, copy.digest(), firstAgain))
			.orElseGet(() -> discarded(sync, copy, firstAgain));
	}

	private Attempt discarded(FullSync sync, NewCopy copy, @Nullable PageRows firstAgain) {
		this.writer.discard(sync.accountId(), copy.generation, sync.lease());
		return new Attempt(null, copy.digest(), firstAgain);
	}

	/**
	 * A new generation of a library being written page by page, in Spotify's order, and
	 * what validates it.
	 */
	private final class NewCopy {

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

		NewCopy(String accountId, long generation, int spotifyTotal, Lease lease) {
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
					continue;
				}
				// Position p in Spotify's order is seq (count - p): the newest save has
				// the highest seq.
				int seq = this.spotifyTotal - page.offset() - indexed.index();
				this.topSeq = Math.max(this.topSeq, seq);
				fresh.add(new SeqRow(seq, row));
			}
			this.unwritten.addAll(fresh);
			this.rows += fresh.size();
			if (this.unwritten.size() >= ROWS_PER_WRITE) {
				write();
			}
		}

		/** Stores the rows not yet written, in one transaction. */
		private void write() {
			if (!this.unwritten.isEmpty()) {
				LibrarySync.this.writer.write(this.accountId, this.generation, List.copyOf(this.unwritten), this.lease);
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
		dev.savedtracks.library.store.NewCopy finish(@Nullable StaleReason mark) {
			write();
			int top = (this.rows > 0) ? this.topSeq : 0;
			return new dev.savedtracks.library.store.NewCopy(this.generation, top, this.rows, this.spotifyTotal,
					this.removed, this.duplicates, digest(), mark);
		}

	}

	/**
	 * One sync's pages: requested within the request budget, converted to rows, counted
	 * for progress.
	 */
	private final class Pages {

		private final AccessTokenSource tokens;

		private final SyncProgress.Tracker progress;

		private final Requester requester;

		Pages(AccessTokenSource tokens, SyncProgress.Tracker progress, Requester requester) {
			this.tokens = tokens;
			this.progress = progress;
			this.requester = requester;
		}

		/** The first page, published where blocking work may follow. */
		Mono<PageRows> first() {
			return page(0).publishOn(Schedulers.boundedElastic());
		}

		/**
		 * Pages {@code from .. from+count-1}, requested concurrently within the
		 * configured bound, in order, published one at a time where blocking work may
		 * follow.
		 */
		Flux<PageRows> range(int from, int count) {
			if (count <= 0) {
				return Flux.empty();
			}
			return Flux.range(from, count)
				.flatMapSequential(index -> page(index * PAGE), LibrarySync.this.spotifySettings.pageConcurrency(), 1)
				.publishOn(Schedulers.boundedElastic());
		}

		private Mono<PageRows> page(int offset) {
			return Mono.defer(() -> {
				LibrarySync.this.pages.increment();
				return LibrarySync.this.spotify.savedTracks(this.tokens, offset, this.requester)
					.doOnNext(page -> this.progress.pageFetched())
					.map(page -> PageRows.of(offset, page, LibrarySync.this.json));
			});
		}

	}

}
