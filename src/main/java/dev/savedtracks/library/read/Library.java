package dev.savedtracks.library.read;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.coordination.Leases.LeaseUnavailable;
import dev.savedtracks.coordination.OncePerKey;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.SavedTracks;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.Track;
import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.answer.LibraryReads;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.FullSyncsExhausted;
import dev.savedtracks.library.sync.LibraryChangedDuringSync;
import dev.savedtracks.library.sync.LibrarySyncs;
import dev.savedtracks.library.sync.LibraryUnavailable;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.system.DatabaseFailures;

/**
 * The one way to read a person's library: {@link #open} decides, from the library's head
 * alone, whether the cached copy can be served as it is (fresh: no Spotify request), is
 * backing off after a failure (served stale, no Spotify request), or must be revalidated
 * or synced first, which it waits for within {@code LIBRARY_SYNC_WAIT}. Whatever happens,
 * a copy that exists is served, marked stale with a typed reason, rather than an error.
 * One read of the head on a hit; two on a miss (the sync reads it once more under its
 * lease and hands back the head it wrote).
 */
@Service
public class Library implements SavedTracks {

	private final LibraryReader heads;

	private final AccountDirectory accounts;

	private final LibrarySyncs syncs;

	private final LibraryReads reads;

	private final CsvTracks csv;

	private final LibraryUse use;

	private final LibrarySettings settings;

	private final JsonMapper json;

	private final Clock clock;

	// Registered once: looking a meter up by name and tags on every request is a
	// measurable part of a cache hit.
	private final Counter hits;

	private final Counter misses;

	private final Counter revalidations;

	Library(LibraryReader heads, AccountDirectory accounts, LibrarySyncs syncs, LibraryReads reads, CsvTracks csv,
			LibraryUse use, LibrarySettings settings, JsonMapper json, Clock clock, MeterRegistry meters) {
		this.csv = csv;
		this.use = use;
		this.heads = heads;
		this.accounts = accounts;
		this.syncs = syncs;
		this.reads = reads;
		this.settings = settings;
		this.json = json;
		this.clock = clock;
		this.hits = cacheResult(meters, "hit");
		this.misses = cacheResult(meters, "miss");
		this.revalidations = cacheResult(meters, "revalidation");
	}

	/**
	 * Opens the library for an answer.
	 * @param acceptsStale the caller prefers the cached copy to an error when this person
	 * must sign in again ({@code Cache-Control: max-stale})
	 * @throws ReauthorizationRequired when Spotify refused this person's refresh token
	 * (and stale is not wanted)
	 * @throws RuntimeException a {@link dev.savedtracks.system.ProblemException} when
	 * nothing is cached and none can be had now
	 */
	public OpenLibrary open(String accountId, LibraryWindow window, boolean acceptsStale) {
		Instant now = this.clock.instant();
		Head head = this.heads.head(accountId).orElse(null);
		if (head != null && head.staleReason() == StaleReason.REAUTHORIZATION_REQUIRED) {
			if (acceptsStale) {
				return new OpenLibrary(accountId, head, StaleReason.REAUTHORIZATION_REQUIRED, window, null);
			}
			throw new ReauthorizationRequired(accountId);
		}
		if (head != null) {
			this.use.read(accountId, now);
		}
		OpenLibrary.Throttle throttled = null;
		boolean full = false;
		if (window.refresh() == LibraryWindow.Refresh.FULL && head != null) {
			Duration left = fullSyncThrottled(head, now);
			throttled = (left != null) ? new OpenLibrary.Throttle(OpenLibrary.Throttle.FULL_SYNC, left) : null;
			full = left == null;
		}
		if (head != null && window.refresh() != LibraryWindow.Refresh.NONE && !full) {
			// refresh=true again and again (a caller toggling a track before each call)
			// costs one request per
			// LIBRARY_MIN_RECHECK, not one per call.
			Duration left = recheckThrottled(head, now);
			if (left != null && !head.backingOff(now)) {
				this.hits.increment();
				return new OpenLibrary(accountId, head, head.staleReason(), window,
						new OpenLibrary.Throttle(OpenLibrary.Throttle.RECHECK, left));
			}
		}
		if (head != null && window.refresh() == LibraryWindow.Refresh.NONE && isFresh(head, now)) {
			this.hits.increment();
			return new OpenLibrary(accountId, head, head.staleReason(), window, null);
		}
		if (head != null && head.backingOff(now)) {
			this.revalidations.increment();
			StaleReason reason = (head.staleReason() != null) ? head.staleReason() : StaleReason.SYNC_FAILED;
			return new OpenLibrary(accountId, head, reason, window, throttled);
		}
		if (head == null) {
			RuntimeException failure = this.syncs.coldFailure(accountId).orElse(null);
			if (failure != null) {
				throw failure;
			}
		}
		((head == null) ? this.misses : this.revalidations).increment();
		try (LibrarySyncs.Waiter waiter = this.syncs.waiting(accountId)) {
			OncePerKey.Run<Head> sync = this.syncs.start(accountId, full, now);
			Head synced = sync.await(this.settings.syncWait(), this.settings.maxWaitersPerLibrary());
			if (head == null) {
				this.use.read(accountId, now);
			}
			return new OpenLibrary(accountId, synced, synced.staleReason(), window, throttled);
		}
		catch (TimeoutException ex) {
			return staleOr(head, accountId, window, throttled, StaleReason.SYNC_IN_PROGRESS,
					LibraryUnavailable.syncInProgress());
		}
		catch (ReauthorizationRequired ex) {
			if (head != null && acceptsStale) {
				return new OpenLibrary(accountId, head, StaleReason.REAUTHORIZATION_REQUIRED, window, throttled);
			}
			throw ex;
		}
		catch (FullSyncsExhausted ex) {
			return staleOr(head, accountId, window,
					new OpenLibrary.Throttle(OpenLibrary.Throttle.FULL_SYNC_BUDGET,
							Duration.between(now, ex.retryAt())),
					StaleReason.FULL_SYNCS_EXHAUSTED, LibraryUnavailable.syncFailed("full syncs of the day used up"));
		}
		catch (SpotifyFailure | LibraryChangedDuringSync | LibraryUnavailable | LeaseUnavailable ex) {
			return staleOr(head, accountId, window, throttled, LibrarySyncs.reason(ex),
					(ex instanceof LeaseUnavailable) ? LibraryUnavailable.syncInProgress() : ex);
		}
		catch (RuntimeException ex) {
			// A failure of our own (a database error mid-sync): a copy that exists is
			// still served, unless the
			// failure was the person's data being deleted meanwhile (their rows are gone,
			// and must stay gone).
			if (this.accounts.find(accountId).isEmpty()) {
				throw new ReauthorizationRequired(accountId);
			}
			RuntimeException failure = DatabaseFailures.isDatabaseDown(ex) ? ex
					: LibraryUnavailable.syncFailed(String.valueOf(ex.getMessage()));
			return staleOr(head, accountId, window, throttled, StaleReason.SYNC_FAILED, failure);
		}
	}

	private static OpenLibrary staleOr(@Nullable Head head, String accountId, LibraryWindow window,
			OpenLibrary.@Nullable Throttle throttled, StaleReason reason, RuntimeException failure) {
		if (head == null) {
			throw failure;
		}
		return new OpenLibrary(accountId, head, reason, window, throttled);
	}

	@Override
	public Window window(String accountId, int offset, int limit) {
		OpenLibrary library = open(accountId, new LibraryWindow(offset, limit, LibraryWindow.Refresh.NONE), false);
		List<Track> items = new ArrayList<>(library.items());
		for (String row : this.reads.window(library)) {
			items.add(this.json.readValue(row, Track.class));
		}
		return new Window(summary(library), offset, items);
	}

	@Override
	public Summary each(String accountId, Consumer<Track> visitor) {
		OpenLibrary library = open(accountId, LibraryWindow.ALL, false);
		try {
			this.reads.chunks(library,
					rows -> rows.forEach(row -> visitor.accept(this.json.readValue(row, Track.class))));
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return summary(library);
	}

	@Override
	public Summary csv(String accountId, OutputStream out) throws IOException {
		OpenLibrary library = open(accountId, LibraryWindow.ALL, false);
		this.csv.write(library, this.reads, out);
		return summary(library);
	}

	private static Summary summary(OpenLibrary library) {
		Head head = library.head();
		return new Summary(head.total(), head.spotifyTotal(), head.syncedAt(), library.stale());
	}

	private boolean isFresh(Head head, Instant now) {
		Instant checked = head.checkedAt();
		return checked != null && checked.plus(this.settings.freshness()).isAfter(now);
	}

	/**
	 * How long until {@code refresh=true} asks Spotify again; {@code null} when it may
	 * now.
	 */
	private @Nullable Duration recheckThrottled(Head head, Instant now) {
		if (head.checkedAt() == null || this.settings.minRecheck().isZero()) {
			return null;
		}
		Duration left = Duration.between(now, head.checkedAt().plus(this.settings.minRecheck()));
		return (left.isNegative() || left.isZero()) ? null : left;
	}

	/**
	 * How long until a full sync may be asked for again; {@code null} when it may be now.
	 */
	private @Nullable Duration fullSyncThrottled(Head head, Instant now) {
		if (head.fullSyncedAt() == null) {
			return null;
		}
		Duration left = Duration.between(now, head.fullSyncedAt().plus(this.settings.fullRefreshInterval()));
		return (left.isNegative() || left.isZero()) ? null : left;
	}

	private static Counter cacheResult(MeterRegistry meters, String result) {
		return Counter.builder("library.cache")
			.description("Saved-tracks requests by cache result: hit (no Spotify request), miss, revalidation")
			.tag("result", result)
			.register(meters);
	}

}
