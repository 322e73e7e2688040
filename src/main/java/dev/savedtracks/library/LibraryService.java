package dev.savedtracks.library;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.spotify.SpotifyFailure;

/**
 * Decides, per request, whether the cached library can be served as it is (fresh: zero Spotify requests), must be
 * revalidated or synced first (sharing one sync among concurrent callers), or must be served stale because
 * Spotify is failing.
 */
@Service
class LibraryService {

	private static final Log logger = LogFactory.getLog(LibraryService.class);

	private final LibraryStateRepository states;

	private final LibrarySync sync;

	private final SyncSingleFlight singleFlight;

	private final LibraryWriter writer;

	private final AccountDirectory accounts;

	private final LibrarySettings settings;

	private final Clock clock;

	LibraryService(LibraryStateRepository states, LibrarySync sync, SyncSingleFlight singleFlight,
			LibraryWriter writer, AccountDirectory accounts, LibrarySettings settings, Clock clock) {
		this.states = states;
		this.sync = sync;
		this.singleFlight = singleFlight;
		this.writer = writer;
		this.accounts = accounts;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Makes sure the cache holds a library that may be served, and says whether it is stale.
	 * @param acceptsStale the caller prefers the cached copy to an error when this person must sign in again
	 * @throws ReauthorizationRequired when Spotify refused this person's refresh token (and stale is not wanted)
	 * @throws SpotifyFailure when Spotify fails and nothing is cached
	 */
	Freshness prepare(String accountId, boolean revalidate, boolean acceptsStale) {
		LibraryState state = this.states.findById(accountId).orElse(null);
		if (this.accounts.needsReauthorization(accountId)) {
			if (acceptsStale && state != null) {
				return new Freshness(true, new ReauthorizationRequired(accountId));
			}
			throw new ReauthorizationRequired(accountId);
		}
		Instant asked = this.clock.instant();
		if (state != null && !revalidate && isFresh(state)) {
			return Freshness.FRESH;
		}
		try {
			this.singleFlight.run(accountId, () -> checkedSince(accountId, asked) ? LibrarySync.Outcome.UNCHANGED
					: this.sync.synchronise(accountId));
			return Freshness.FRESH;
		}
		catch (ReauthorizationRequired ex) {
			if (acceptsStale && state != null) {
				return new Freshness(true, ex);
			}
			throw ex;
		}
		catch (SpotifyFailure | LibraryChangedDuringSync ex) {
			if (state == null) {
				throw ex;
			}
			logger.warn("Serving the cached library of " + accountId + " marked stale: " + ex.getMessage());
			this.writer.recordFailure(accountId, ex.getMessage());
			return new Freshness(true, ex);
		}
	}

	/**
	 * Whether a sync that finished after this request arrived already answered it: a request that lost the race to
	 * join a running sync must not start a second one.
	 */
	private boolean checkedSince(String accountId, Instant asked) {
		return this.states.findById(accountId)
			.map(LibraryState::checkedAt)
			.filter(checked -> !checked.isBefore(asked.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))
			.isPresent();
	}

	private boolean isFresh(LibraryState state) {
		Instant checked = state.checkedAt();
		return checked != null && checked.plus(this.settings.freshness()).isAfter(this.clock.instant());
	}

	/** Whether the served copy is known to be up to date, and if not, why. */
	record Freshness(boolean stale, @Nullable RuntimeException cause) {

		static final Freshness FRESH = new Freshness(false, null);

	}

}
