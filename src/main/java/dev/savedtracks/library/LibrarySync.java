package dev.savedtracks.library;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.savedtracks.account.SpotifyAccessTokens;
import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.SpotifySettings;

/**
 * Brings one person's cached library up to date with as few Spotify requests as possible. The first page always
 * comes first: it tells the total and, compared with the cached top, whether nothing changed (one request), whether
 * tracks were only added on top (fetch just those), or whether a full sync is needed, whose remaining pages are
 * requested concurrently within a bound. A result is validated before it replaces the cache.
 */
@Component
class LibrarySync {

	/** What a sync did, for callers and tests. */
	enum Outcome {

		UNCHANGED, ADDED_ON_TOP, FULL

	}

	private static final Log logger = LogFactory.getLog(LibrarySync.class);

	private static final int PAGE = SpotifyClient.PAGE_SIZE;

	private final SpotifyClient spotify;

	private final SpotifyAccessTokens accessTokens;

	private final LibraryReader reader;

	private final LibraryTrackStore tracks;

	private final LibraryWriter writer;

	private final JsonMapper json;

	private final SpotifySettings spotifySettings;

	private final LibrarySettings settings;

	private final Counter pages;

	LibrarySync(SpotifyClient spotify, SpotifyAccessTokens accessTokens, LibraryReader reader,
			LibraryTrackStore tracks, LibraryWriter writer, JsonMapper json, SpotifySettings spotifySettings,
			LibrarySettings settings, MeterRegistry meters) {
		this.spotify = spotify;
		this.accessTokens = accessTokens;
		this.reader = reader;
		this.tracks = tracks;
		this.writer = writer;
		this.json = json;
		this.spotifySettings = spotifySettings;
		this.settings = settings;
		this.pages = Counter.builder("library.sync.pages")
			.description("Saved-tracks pages requested from Spotify by syncs")
			.register(meters);
	}

	Outcome synchronise(String accountId, SyncProgress.Tracker progress) {
		AccessTokenSource tokens = new AccountTokens(this.accessTokens, accountId);
		progress.pagesNeeded(1);
		SavedTracksPage first = page(tokens, 0, progress).block();
		LibraryReader.Head state = this.reader.snapshot(accountId).head();
		if (state != null && state.total() > 0) {
			List<StoredTrack> top = this.tracks.top(accountId, state.generation(), PAGE);
			if (unchanged(first, state.total(), top)) {
				this.writer.confirm(accountId);
				return Outcome.UNCHANGED;
			}
			List<StoredTrack> added = addedOnTop(accountId, state.generation(), tokens, first, state.total(), top,
					progress);
			if (added != null) {
				this.writer.addOnTop(accountId, added, first.totalOrZero());
				logger.debug("Added " + added.size() + " new tracks on top of the library of " + accountId);
				return Outcome.ADDED_ON_TOP;
			}
		}
		fullSync(accountId, tokens, first, progress);
		return Outcome.FULL;
	}

	private boolean unchanged(SavedTracksPage first, int cachedTotal, List<StoredTrack> top) {
		if (first.totalOrZero() != cachedTotal) {
			return false;
		}
		List<StoredTrack> page = stored(first.itemsOrEmpty());
		return page.size() == top.size() && matches(page, 0, top, top.size());
	}

	/**
	 * The tracks saved since the cache was taken, when that is the only change: the total grew by {@code d} and the
	 * items after the first {@code d} are the cached top. Fetches only the pages that hold new tracks, plus the one
	 * item of overlap that proves it. {@code null} when anything else changed.
	 */
	private @Nullable List<StoredTrack> addedOnTop(String accountId, long generation, AccessTokenSource tokens,
			SavedTracksPage first, int cachedTotal, List<StoredTrack> top, SyncProgress.Tracker progress) {
		int added = first.totalOrZero() - cachedTotal;
		if (added <= 0) {
			return null;
		}
		int pagesNeeded = (added + 1 + PAGE - 1) / PAGE;
		List<SavedTracksPage> pages = new ArrayList<>();
		pages.add(first);
		if (pagesNeeded > 1) {
			progress.pagesNeeded(pagesNeeded);
			pages.addAll(fetchPages(tokens, 1, pagesNeeded - 1, progress));
		}
		if (pages.stream().anyMatch(p -> p.totalOrZero() != first.totalOrZero())) {
			return null;
		}
		List<StoredTrack> fetched = stored(pages.stream().flatMap(p -> p.itemsOrEmpty().stream()).toList());
		int overlap = Math.min(fetched.size() - added, top.size());
		if (overlap < 1 || !matches(fetched, added, top, overlap)) {
			return null;
		}
		List<StoredTrack> news = fetched.subList(0, added);
		Set<String> keys = new HashSet<>();
		for (StoredTrack track : news) {
			if (!keys.add(track.key())) {
				return null;
			}
		}
		// A re-saved track moves to the top: then it is not new, and only a full sync keeps the order right.
		return this.tracks.containsAny(accountId, generation, keys) ? null : List.copyOf(news);
	}

	/**
	 * Fetches every page concurrently and writes each to a new generation as soon as it arrives (in arrival order;
	 * each row's place follows from its page's offset), so that storing the library overlaps with waiting for
	 * Spotify instead of following it. Nothing but the set of keys seen is held in memory. When every page agreed on
	 * the total, no item was seen twice and the rows add up to the total, the library is switched to the new
	 * generation; otherwise the library changed during the sync, the new rows are discarded, and it starts over.
	 */
	private void fullSync(String accountId, AccessTokenSource tokens, SavedTracksPage knownFirst,
			SyncProgress.Tracker progress) {
		SavedTracksPage first = knownFirst;
		int fetchedBefore = 0;
		for (int attempt = 1; attempt <= this.settings.maxSyncAttempts(); attempt++) {
			if (attempt > 1) {
				fetchedBefore = progress.snapshot().pagesFetched();
				first = page(tokens, 0, progress).block();
			}
			int total = first.totalOrZero();
			int pageCount = (total + PAGE - 1) / PAGE;
			progress.pagesNeeded(fetchedBefore + Math.max(pageCount, 1));
			NewCopy copy = new NewCopy(accountId, this.writer.startGeneration(accountId), total);
			if (storeNewCopy(copy, tokens, first, pageCount, progress)) {
				this.writer.dropAllBut(accountId, copy.generation);
				return;
			}
			logger.info("Library of " + accountId + " changed during sync attempt " + attempt + "; syncing again");
		}
		throw new LibraryChangedDuringSync(accountId, this.settings.maxSyncAttempts());
	}

	/** Whether the new copy was complete and consistent and is now the current one; if not, it is discarded. */
	private boolean storeNewCopy(NewCopy copy, AccessTokenSource tokens, SavedTracksPage first, int pageCount,
			SyncProgress.Tracker progress) {
		boolean switched = false;
		try {
			copy.add(0, first);
			if (pageCount > 1) {
				Flux.range(1, pageCount - 1)
					.flatMap(index -> page(tokens, index * PAGE, progress).map(page -> new Fetched(index * PAGE, page)),
							this.spotifySettings.pageConcurrency())
					// JDBC blocks: pages are written one after the other, off the HTTP client's event loop.
					.publishOn(Schedulers.boundedElastic())
					.doOnNext(fetched -> copy.add(fetched.offset(), fetched.page()))
					.blockLast();
			}
			switched = copy.complete() && this.writer.switchTo(copy.accountId, copy.generation, copy.total);
			return switched;
		}
		catch (InconsistentPage ex) {
			return false;
		}
		finally {
			if (!switched) {
				discard(copy);
			}
		}
	}

	private void discard(NewCopy copy) {
		try {
			this.writer.discard(copy.accountId, copy.generation);
		}
		catch (RuntimeException ex) {
			// The next sync of this library deletes it instead; the failure that got us here matters more.
			logger.warn("Could not discard an unfinished copy of the library of " + copy.accountId + ": " + ex);
		}
	}

	/** A page and the offset it was asked for. */
	private record Fetched(int offset, SavedTracksPage page) {
	}

	/** A page that cannot belong to one consistent copy of the library with the pages before it. */
	private static final class InconsistentPage extends RuntimeException {

		InconsistentPage() {
			super(null, null, false, false);
		}

	}

	/** A new generation of a library being written page by page, and what is needed to validate it. */
	private final class NewCopy {

		private final String accountId;

		private final long generation;

		private final int total;

		private final Set<String> keys;

		private int rows;

		NewCopy(String accountId, long generation, int total) {
			this.accountId = accountId;
			this.generation = generation;
			this.total = total;
			this.keys = new HashSet<>(total * 2);
		}

		void add(int offset, SavedTracksPage page) {
			if (page.totalOrZero() != this.total) {
				throw new InconsistentPage();
			}
			List<StoredTrack> tracks = stored(page.itemsOrEmpty());
			if (offset + tracks.size() > this.total) {
				throw new InconsistentPage();
			}
			for (StoredTrack track : tracks) {
				if (!this.keys.add(track.key())) {
					throw new InconsistentPage();
				}
			}
			// Position p in Spotify's order is seq total - p: the newest save has the highest seq.
			LibrarySync.this.writer.writePage(this.accountId, this.generation, this.total - offset, tracks);
			this.rows += tracks.size();
		}

		boolean complete() {
			return this.rows == this.total;
		}

	}

	/** Pages {@code from .. from+count-1}, requested concurrently within the configured bound, in order. */
	private List<SavedTracksPage> fetchPages(AccessTokenSource tokens, int from, int count,
			SyncProgress.Tracker progress) {
		List<SavedTracksPage> pages = Flux.range(from, count)
			.flatMapSequential(index -> page(tokens, index * PAGE, progress),
					this.spotifySettings.pageConcurrency(), 1)
			.collectList()
			.block();
		if (pages == null || pages.size() != count) {
			throw new SpotifyProtocolViolation("missing saved-tracks pages");
		}
		return pages;
	}

	private Mono<SavedTracksPage> page(AccessTokenSource tokens, int offset, SyncProgress.Tracker progress) {
		return Mono.defer(() -> {
			this.pages.increment();
			return this.spotify.savedTracks(tokens, offset).doOnNext(page -> progress.pageFetched());
		});
	}

	private List<StoredTrack> stored(List<SavedTracksPage.Item> items) {
		List<StoredTrack> result = new ArrayList<>(items.size());
		for (SavedTracksPage.Item item : items) {
			Track track = Track.from(item);
			result.add(new StoredTrack(track.key(), track.addedAt(), this.json.writeValueAsString(track)));
		}
		return result;
	}

	private static boolean matches(List<StoredTrack> fetched, int from, List<StoredTrack> top, int count) {
		for (int i = 0; i < count; i++) {
			if (!fetched.get(from + i).sameItem(top.get(i))) {
				return false;
			}
		}
		return true;
	}

	/** One sync's view of a person's token: the latest value, replaced at most once per rejection. */
	private static final class AccountTokens implements AccessTokenSource {

		private final SpotifyAccessTokens tokens;

		private final String accountId;

		private final AtomicReference<@Nullable String> current = new AtomicReference<>();

		AccountTokens(SpotifyAccessTokens tokens, String accountId) {
			this.tokens = tokens;
			this.accountId = accountId;
		}

		@Override
		public String current() {
			String token = this.current.get();
			if (token == null) {
				token = this.tokens.accessToken(this.accountId);
				this.current.compareAndSet(null, token);
			}
			return token;
		}

		@Override
		public String replaceRejected(String rejected) {
			String replaced = this.tokens.replaceRejected(this.accountId, rejected);
			this.current.set(replaced);
			return replaced;
		}

	}

}
