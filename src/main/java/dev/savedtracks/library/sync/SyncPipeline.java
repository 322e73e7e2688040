package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.savedtracks.account.SpotifyAccessTokens;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.store.FullReads;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifySettings;

/**
 * Brings one person's cached library up to date with as few Spotify requests as possible:
 * the first page, then what {@link SyncPlan} decides (nothing more, the pages holding
 * tracks added on top, or every page, which {@link FullSync} reads). One Reactor pipeline
 * over the WebClient, blocked on once, at its edge; it runs under the library's lease,
 * which every write checks, and ends in a {@link SyncOutcome}. Whatever it writes is
 * dated by when its first page was asked for ({@link PageRows#requestedAt()}), not by
 * when the write happens: a sync slowed down by the request budget or a large library
 * must not make the copy look fresher than what Spotify vouched for.
 */
@Component
class SyncPipeline {

	private static final Log logger = LogFactory.getLog(SyncPipeline.class);

	/** The most cached rows read to compare Spotify's first page with. */
	private static final int MAX_TOP_ROWS = 3200;

	private final SpotifyClient spotify;

	private final SpotifyAccessTokens accessTokens;

	private final LibraryReader reader;

	private final LibraryWriter writer;

	private final FullSync fullSync;

	private final FullReads fullReads;

	private final JsonMapper json;

	private final SpotifySettings spotifySettings;

	private final LibrarySettings settings;

	private final Clock clock;

	private final Counter pages;

	private final MeterRegistry meters;

	SyncPipeline(SpotifyClient spotify, SpotifyAccessTokens accessTokens, LibraryReader reader, LibraryWriter writer,
			FullSync fullSync, FullReads fullReads, JsonMapper json, SpotifySettings spotifySettings,
			LibrarySettings settings, Clock clock, MeterRegistry meters) {
		this.fullReads = fullReads;
		this.spotify = spotify;
		this.accessTokens = accessTokens;
		this.reader = reader;
		this.writer = writer;
		this.fullSync = fullSync;
		this.json = json;
		this.spotifySettings = spotifySettings;
		this.settings = settings;
		this.clock = clock;
		this.meters = meters;
		this.pages = Counter.builder("library.sync.pages")
			.description("Saved-tracks pages requested from Spotify by syncs")
			.register(meters);
	}

	/**
	 * Syncs the library whose current head is {@code cached} (null: nothing cached),
	 * waiting for the pipeline: the only place a sync blocks.
	 * @param full reconcile the whole library whatever the first page says
	 * @param requester whom the budget's permits are for, and how urgently
	 */
	SyncOutcome run(String accountId, @Nullable Head cached, boolean full, Lease lease, SyncProgress.Tracker progress,
			Requester requester) {
		try {
			SyncOutcome outcome = pipeline(accountId, cached, full, lease, progress, requester).block();
			return (outcome != null) ? outcome : SyncOutcome.of(new IllegalStateException("the sync ended empty"));
		}
		catch (RuntimeException ex) {
			// Interrupted at shutdown: the previous complete copy stays in place.
			return SyncOutcome.of(ex);
		}
	}

	/**
	 * The whole sync as one pipeline, which does nothing until subscribed: the first
	 * page, the plan, then the pages the plan needs. It never fails: a failure is an
	 * outcome.
	 */
	Mono<SyncOutcome> pipeline(String accountId, @Nullable Head cached, boolean full, Lease lease,
			SyncProgress.Tracker progress, Requester requester) {
		SyncPages pages = new SyncPages(this.spotify, this.accessTokens.forAccount(accountId), requester,
				this.spotifySettings, this.json, this.pages, progress, extra -> extra.count(this.meters), this.clock);
		return Mono.defer(() -> planAndCarryOut(accountId, cached, full, lease, pages))
			.onErrorResume(error -> Mono.just(SyncOutcome.of(error)));
	}

	private Mono<SyncOutcome> planAndCarryOut(String accountId, @Nullable Head cached, boolean full, Lease lease,
			SyncPages pages) {
		return pages.first().flatMap(first -> {
			List<TrackRow> cachedTop = (cached != null) ? cachedTop(accountId, cached) : List.of();
			SyncPlan plan = SyncPlan.decide(first, cached, cachedTop, full || fullDue(accountId, cached),
					this.settings.maxTopPages());
			Mono<SyncPlan> planned = (plan instanceof SyncPlan.FetchTop top && cached != null)
					? fetchTop(pages, first, top.pages(), cached, cachedTop) : Mono.just(plan);
			return planned.flatMap(decided -> carryOut(decided, accountId, cached, lease, pages, first));
		});
	}

	/**
	 * The first page's worth of the cached copy, and the rest of the run of tracks saved
	 * in the same second as its last one (up to {@link #MAX_TOP_ROWS}): Spotify may list
	 * any of them on the first page, since their order is not defined.
	 */
	private List<TrackRow> cachedTop(String accountId, Head cached) {
		int count = SyncPages.PAGE;
		List<TrackRow> top = this.reader.top(accountId, cached, count);
		while (top.size() == count && count < MAX_TOP_ROWS
				&& Objects.equals(top.get(count - 1).addedAt(), top.get(SyncPages.PAGE - 1).addedAt())) {
			count = Math.min(count * 4, MAX_TOP_ROWS);
			top = this.reader.top(accountId, cached, count);
		}
		return top;
	}

	private Mono<SyncOutcome> carryOut(SyncPlan plan, String accountId, @Nullable Head cached, Lease lease,
			SyncPages pages, PageRows first) {
		if (plan instanceof SyncPlan.Unchanged && cached != null) {
			return Mono.just(new SyncOutcome.Synced(this.writer.confirm(accountId, cached, first.requestedAt(), lease),
					SyncOutcome.Change.UNCHANGED));
		}
		String why = (plan instanceof SyncPlan.Full fullPlan) ? fullPlan.why() : "";
		if (plan instanceof SyncPlan.AddOnTop add && cached != null) {
			Optional<Head> added = addOnTop(accountId, cached, add.rows(), first, lease);
			if (added.isPresent()) {
				return Mono.just(new SyncOutcome.Synced(added.get(), SyncOutcome.Change.ADDED_ON_TOP));
			}
			why = "a track added on top was already in the library";
		}
		logger.debug("Full sync of a library: " + why);
		if (cached != null) {
			// A person who changes their library before every call would otherwise cost a
			// full sync every time.
			Instant renewed = this.writer.takeFullSync(accountId, this.clock.instant(),
					this.settings.maxFullSyncsPerDay());
			if (renewed != null) {
				return Mono.just(new SyncOutcome.FullSyncBudgetUsed(renewed));
			}
			// A failed attempt is given back: only full syncs that ran count.
			return this.fullSync.run(accountId, cached, pages, lease, first)
				.doOnError(failed -> this.fullReads.refund(accountId));
		}
		return this.fullSync.run(accountId, cached, pages, lease, first);
	}

	/**
	 * Whether the copy is due for a full reconciliation (see
	 * {@link SyncPlan#fullReconciliationDue}).
	 */
	private boolean fullDue(String accountId, @Nullable Head cached) {
		return cached == null || cached.fullSyncedAt() == null || SyncPlan.fullReconciliationDue(accountId,
				cached.fullSyncedAt(), this.settings.fullSyncInterval(), this.clock.instant());
	}

	private Mono<SyncPlan> fetchTop(SyncPages pages, PageRows first, int count, Head cached, List<TrackRow> cachedTop) {
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

	private Optional<Head> addOnTop(String accountId, Head cached, List<TrackRow> rows, PageRows first, Lease lease) {
		// A re-saved track moves to the top: then it is not new, and only a full sync
		// keeps the order right.
		Set<String> keys = new HashSet<>();
		rows.forEach(row -> keys.add(row.key()));
		if (this.reader.containsAny(accountId, cached, keys)) {
			return Optional.empty();
		}
		return this.writer.addOnTop(accountId, cached, rows, first.spotifyTotal(), first.requestedAt(), lease);
	}

}
