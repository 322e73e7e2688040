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

	private final LibraryStateRepository states;

	private final LibraryTrackStore tracks;

	private final LibraryWriter writer;

	private final JsonMapper json;

	private final SpotifySettings spotifySettings;

	private final LibrarySettings settings;

	private final Counter pages;

	LibrarySync(SpotifyClient spotify, SpotifyAccessTokens accessTokens, LibraryStateRepository states,
			LibraryTrackStore tracks, LibraryWriter writer, JsonMapper json, SpotifySettings spotifySettings,
			LibrarySettings settings, MeterRegistry meters) {
		this.spotify = spotify;
		this.accessTokens = accessTokens;
		this.states = states;
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
		LibraryState state = this.states.findById(accountId).orElse(null);
		if (state != null && state.total() > 0) {
			List<StoredTrack> top = this.tracks.top(accountId, PAGE);
			if (unchanged(first, state.total(), top)) {
				this.writer.confirm(accountId);
				return Outcome.UNCHANGED;
			}
			List<StoredTrack> added = addedOnTop(accountId, tokens, first, state.total(), top, progress);
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
	private @Nullable List<StoredTrack> addedOnTop(String accountId, AccessTokenSource tokens,
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
		return this.tracks.containsAny(accountId, keys) ? null : List.copyOf(news);
	}

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
			List<SavedTracksPage> pages = new ArrayList<>(Math.max(pageCount, 1));
			pages.add(first);
			if (pageCount > 1) {
				pages.addAll(fetchPages(tokens, 1, pageCount - 1, progress));
			}
			List<StoredTrack> library = consistentLibrary(pages, total);
			if (library != null) {
				this.writer.replace(accountId, library);
				return;
			}
			logger.info("Library of " + accountId + " changed during sync attempt " + attempt + "; syncing again");
		}
		throw new LibraryChangedDuringSync(accountId, this.settings.maxSyncAttempts());
	}

	/** The pages as one library, or {@code null} when they do not add up to one consistent copy. */
	private @Nullable List<StoredTrack> consistentLibrary(List<SavedTracksPage> pages, int total) {
		List<StoredTrack> library = new ArrayList<>(total);
		Set<String> keys = new HashSet<>(total * 2);
		for (SavedTracksPage page : pages) {
			if (page.totalOrZero() != total) {
				return null;
			}
			for (StoredTrack track : stored(page.itemsOrEmpty())) {
				if (!keys.add(track.key())) {
					return null;
				}
				library.add(track);
			}
		}
		return (library.size() == total) ? library : null;
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
