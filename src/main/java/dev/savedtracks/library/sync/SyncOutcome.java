package dev.savedtracks.library.sync;

import java.time.Instant;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.coordination.LeaseLost;
import dev.savedtracks.coordination.LeaseUnavailable;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.system.DatabaseFailures;
import dev.savedtracks.system.ProblemException;

/**
 * How a sync ended, as a value: the copy brought up to date ({@link Synced}), or why it
 * could not be ({@link Unsynced}). This type is the one place that says what each reason
 * means to a caller: the stale reason a served copy is marked with, and the problem
 * answered when there is no copy to serve. Failures of other modules (Spotify's, the
 * person's tokens, the leases) become outcomes once, at the edge of a sync
 * ({@link #of(Throwable)}).
 */
public sealed interface SyncOutcome {

	/**
	 * What a sync changed.
	 */
	enum Change {

		/** Spotify listed exactly the cached copy. */
		UNCHANGED,

		/** Tracks saved on top were added to the copy. */
		ADDED_ON_TOP,

		/** The library was read again into a new copy. */
		FULL,

		/**
		 * Nothing was asked of Spotify: another replica, or an earlier sync, had checked
		 * the copy since the caller asked.
		 */
		NONE

	}

	/** The copy is up to date; {@code head} describes it. */
	record Synced(Head head, Change change) implements SyncOutcome {
	}

	/** The copy could not be brought up to date now, and why. */
	sealed interface Unsynced extends SyncOutcome {

		/** What a copy served meanwhile is marked with ({@code X-Library-Stale}). */
		StaleReason staleReason();

		/** The answer when there is no copy to serve. */
		RuntimeException problem(String accountId);

		/** What the failure log and the library row record of it. */
		String detail();

	}

	/** Spotify failed or refused, after the retries its client makes. */
	record SpotifyFailed(SpotifyFailure failure) implements Unsynced {

		@Override
		public StaleReason staleReason() {
			return switch (this.failure.kind()) {
				case UNAVAILABLE -> StaleReason.SPOTIFY_UNAVAILABLE;
				case RATE_LIMITED -> StaleReason.SPOTIFY_RATE_LIMITED;
				case QUOTA_EXCEEDED -> StaleReason.SPOTIFY_QUOTA_EXCEEDED;
				case ACCESS_DENIED -> StaleReason.SPOTIFY_ACCESS_DENIED;
				case OWNER_PREMIUM_REQUIRED -> StaleReason.SPOTIFY_OWNER_PREMIUM_REQUIRED;
			};
		}

		@Override
		public RuntimeException problem(String accountId) {
			return this.failure;
		}

		@Override
		public String detail() {
			return String.valueOf(this.failure.getMessage());
		}

	}

	/** Spotify refused the person's refresh token: only a new sign-in helps. */
	record SignInRequired() implements Unsynced {

		@Override
		public StaleReason staleReason() {
			return StaleReason.REAUTHORIZATION_REQUIRED;
		}

		@Override
		public RuntimeException problem(String accountId) {
			return new ReauthorizationRequired(accountId);
		}

		@Override
		public String detail() {
			return "Spotify needs the person to sign in again";
		}

	}

	/**
	 * Every attempt saw Spotify's listing change under it (the person saving or removing
	 * tracks meanwhile).
	 */
	record LibraryChanging(int attempts) implements Unsynced {

		@Override
		public StaleReason staleReason() {
			return StaleReason.LIBRARY_CHANGING;
		}

		@Override
		public RuntimeException problem(String accountId) {
			return new LibraryChangedDuringSync(accountId, this.attempts);
		}

		@Override
		public String detail() {
			return "the library kept changing during " + this.attempts + " sync attempts";
		}

	}

	/**
	 * The copy needs a full sync, and the library's full syncs of the day are used up
	 * until {@code renewedAt}. Only a cached library gets here: a first copy is always
	 * synced.
	 */
	record FullSyncBudgetUsed(Instant renewedAt) implements Unsynced {

		@Override
		public StaleReason staleReason() {
			return StaleReason.FULL_SYNC_BUDGET_USED;
		}

		@Override
		public RuntimeException problem(String accountId) {
			return LibraryUnavailable.syncFailed("full syncs of the day used up");
		}

		@Override
		public String detail() {
			return "the library's full syncs of the day are used up";
		}

	}

	/**
	 * A sync is running and took longer than the caller may wait, or runs on another
	 * replica, which records its own outcome.
	 */
	record InProgress() implements Unsynced {

		@Override
		public StaleReason staleReason() {
			return StaleReason.SYNC_IN_PROGRESS;
		}

		@Override
		public RuntimeException problem(String accountId) {
			return LibraryUnavailable.syncInProgress();
		}

		@Override
		public String detail() {
			return "sync in progress";
		}

	}

	/**
	 * A failure of the service's own (a database error, no thread free, a bug); a
	 * database that cannot be reached is answered as such.
	 */
	record Failed(RuntimeException error) implements Unsynced {

		@Override
		public StaleReason staleReason() {
			return StaleReason.SYNC_FAILED;
		}

		@Override
		public RuntimeException problem(String accountId) {
			return (this.error instanceof ProblemException || DatabaseFailures.isDatabaseDown(this.error)) ? this.error
					: LibraryUnavailable.syncFailed(detail());
		}

		@Override
		public String detail() {
			return String.valueOf(this.error.getMessage());
		}

	}

	/** What a sync that threw {@code failure} means. */
	static Unsynced of(Throwable failure) {
		if (failure instanceof SpotifyFailure spotify) {
			return new SpotifyFailed(spotify);
		}
		if (failure instanceof ReauthorizationRequired) {
			return new SignInRequired();
		}
		if (failure instanceof LeaseUnavailable || failure instanceof LeaseLost) {
			return new InProgress();
		}
		if (failure instanceof RuntimeException error) {
			return new Failed(error);
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return new Failed(new IllegalStateException(failure));
	}

}
