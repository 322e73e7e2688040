package dev.savedtracks.library;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.system.Leases;
import dev.savedtracks.system.Leases.Lease;
import dev.savedtracks.system.Leases.LeaseUnavailable;

/**
 * Decides, per request, whether the cached library can be served as it is (fresh: zero Spotify requests), must be
 * revalidated or synced first (sharing one sync among concurrent callers), or must be served stale because
 * Spotify is failing.
 */
@Service
class LibraryService {

	private static final Log logger = LogFactory.getLog(LibraryService.class);

	private final LibraryReader reader;

	private final LibrarySync sync;

	private final SyncSingleFlight singleFlight;

	private final LibraryWriter writer;


	private final Leases leases;

	private final MeterRegistry meters;

	private final SyncProgress progress;

	private final LibrarySettings settings;

	private final Clock clock;

	// Registered once: looking a meter up by name and tags on every request is a measurable part of a cache hit.
	private final Counter hits;

	private final Counter misses;

	private final Counter revalidations;

	LibraryService(LibraryReader reader, LibrarySync sync, SyncSingleFlight singleFlight,
			LibraryWriter writer, Leases leases, SyncProgress progress,
			LibrarySettings settings, Clock clock, MeterRegistry meters) {
		this.reader = reader;
		this.sync = sync;
		this.singleFlight = singleFlight;
		this.writer = writer;
		this.leases = leases;
		this.progress = progress;
		this.meters = meters;
		Gauge.builder("library.syncs.active", singleFlight, SyncSingleFlight::running)
			.description("Library syncs running in this replica")
			.register(meters);
		this.settings = settings;
		this.clock = clock;
		this.hits = cacheResult("hit");
		this.misses = cacheResult("miss");
		this.revalidations = cacheResult("revalidation");
	}

	/**
	 * Makes sure the cache holds a library that may be served, and says whether it is stale.
	 * @param acceptsStale the caller prefers the cached copy to an error when this person must sign in again
	 * @throws ReauthorizationRequired when Spotify refused this person's refresh token (and stale is not wanted)
	 * @throws SpotifyFailure when Spotify fails and nothing is cached
	 */
	Freshness prepare(String accountId, boolean revalidate, boolean acceptsStale) {
		LibraryReader.Snapshot snapshot = this.reader.snapshot(accountId);
		LibraryReader.Head state = snapshot.head();
		if (snapshot.reauthorizationRequired()) {
			if (acceptsStale && state != null) {
				return new Freshness(true, new ReauthorizationRequired(accountId), state);
			}
			throw new ReauthorizationRequired(accountId);
		}
		Instant asked = this.clock.instant();
		if (state != null && !revalidate && isFresh(state)) {
			this.hits.increment();
			// Nothing was written since the snapshot was read: the caller may answer from its head.
			return new Freshness(false, null, state);
		}
		((state == null) ? this.misses : this.revalidations).increment();
		try {
			this.singleFlight.run(accountId, () -> syncOnce(accountId, asked));
			return Freshness.FRESH;
		}
		catch (ReauthorizationRequired ex) {
			if (acceptsStale && state != null) {
				return new Freshness(true, ex, null);
			}
			throw ex;
		}
		catch (SpotifyFailure | LibraryChangedDuringSync | LeaseUnavailable ex) {
			if (state == null) {
				throw ex;
			}
			logger.warn("Serving the cached library of " + accountId + " marked stale: " + ex.getMessage());
			this.writer.recordFailure(accountId, ex.getMessage());
			return new Freshness(true, ex, null);
		}
	}

	/**
	 * Syncs under a database lease, so that of all replicas asked at once only one asks Spotify; the others wait
	 * and find the library confirmed after they were asked.
	 */
	private LibrarySync.Outcome syncOnce(String accountId, Instant asked) {
		Optional<Lease> lease = this.leases.acquire("library-sync:" + accountId, this.settings.syncLease(),
				this.settings.syncWait(), () -> checkedSince(accountId, asked));
		if (lease.isEmpty()) {
			return LibrarySync.Outcome.UNCHANGED;
		}
		try (Lease held = lease.get()) {
			if (checkedSince(accountId, asked)) {
				return LibrarySync.Outcome.UNCHANGED;
			}
			Timer.Sample sample = Timer.start(this.meters);
			String outcome = "failed";
			SyncProgress.Tracker tracker = this.progress.start(accountId);
			try {
				LibrarySync.Outcome done = this.sync.synchronise(accountId, tracker);
				outcome = done.name().toLowerCase(java.util.Locale.ROOT);
				return done;
			}
			finally {
				this.progress.finish(accountId, tracker);
				sample.stop(Timer.builder("library.sync")
					.description("Syncs of a library with Spotify, by outcome")
					.tag("outcome", outcome)
					.register(this.meters));
			}
		}
	}

	/**
	 * Whether a sync that finished after this request arrived already answered it: a request that lost the race to
	 * join a running sync must not start a second one.
	 */
	private boolean checkedSince(String accountId, Instant asked) {
		LibraryReader.Head head = this.reader.snapshot(accountId).head();
		Instant checked = (head != null) ? head.checkedAt() : null;
		return checked != null && !checked.isBefore(asked.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
	}

	private Counter cacheResult(String result) {
		return Counter.builder("library.cache")
			.description("Saved-tracks requests by cache result: hit (no Spotify request), miss, revalidation")
			.tag("result", result)
			.register(this.meters);
	}

	private boolean isFresh(LibraryReader.Head state) {
		Instant checked = state.checkedAt();
		return checked != null && checked.plus(this.settings.freshness()).isAfter(this.clock.instant());
	}

	/**
	 * Whether the served copy is known to be up to date, and if not, why; with the head of the cache when nothing
	 * has been written since it was read (null: read it again).
	 */
	record Freshness(boolean stale, @Nullable RuntimeException cause, LibraryReader.@Nullable Head head) {

		static final Freshness FRESH = new Freshness(false, null, null);

	}

}
