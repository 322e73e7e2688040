package dev.savedtracks.library.sync;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.coordination.LeaseLost;
import dev.savedtracks.coordination.LeaseUnavailable;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.SpotifyUnavailable;
import dev.savedtracks.system.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Every way a sync ends is one value, which alone says what callers are told: the stale
 * reason a served copy is marked with, and the problem answered when there is no copy.
 */
class SyncOutcomeTest {

	@Test
	void spotifysFailuresAreToldByTheirKind() {
		List<SpotifyFailure> failures = List.of(new SpotifyUnavailable("502", null),
				new SpotifyProtocolViolation("no items"), new SpotifyRequestRejected(400, "bad offset"),
				new SpotifyRateLimited(Duration.ofSeconds(3)), new SpotifyQuotaExceeded(Duration.ofHours(5)),
				new SpotifyAccessDenied(SpotifyAccessDenied.Reason.USER_NOT_REGISTERED, "403"),
				new SpotifyAccessDenied(SpotifyAccessDenied.Reason.OWNER_PREMIUM_REQUIRED, "403"));

		assertThat(failures).extracting(failure -> new SyncOutcome.SpotifyFailed(failure).staleReason())
			.containsExactly(StaleReason.SPOTIFY_UNAVAILABLE, StaleReason.SPOTIFY_UNAVAILABLE,
					StaleReason.SPOTIFY_UNAVAILABLE, StaleReason.SPOTIFY_RATE_LIMITED,
					StaleReason.SPOTIFY_QUOTA_EXCEEDED, StaleReason.SPOTIFY_ACCESS_DENIED,
					StaleReason.SPOTIFY_OWNER_PREMIUM_REQUIRED);
		assertThat(failures).allSatisfy(
				failure -> assertThat(new SyncOutcome.SpotifyFailed(failure).problem("alice")).isSameAs(failure));
	}

	@Test
	void theLibrarysOwnOutcomesCarryTheirReasonAndProblem() {
		assertThat(new SyncOutcome.LibraryChanging(3).staleReason()).isEqualTo(StaleReason.LIBRARY_CHANGING);
		assertThat(slug(new SyncOutcome.LibraryChanging(3))).isEqualTo("library-changing");
		assertThat(new SyncOutcome.FullSyncBudgetUsed(Instant.EPOCH).staleReason())
			.isEqualTo(StaleReason.FULL_SYNC_BUDGET_USED);
		assertThat(slug(new SyncOutcome.FullSyncBudgetUsed(Instant.EPOCH))).isEqualTo("sync-failed");
		assertThat(new SyncOutcome.InProgress().staleReason()).isEqualTo(StaleReason.SYNC_IN_PROGRESS);
		assertThat(slug(new SyncOutcome.InProgress())).isEqualTo("sync-in-progress");
		assertThat(new SyncOutcome.SignInRequired().staleReason()).isEqualTo(StaleReason.REAUTHORIZATION_REQUIRED);
		assertThat(new SyncOutcome.SignInRequired().problem("alice")).isInstanceOf(ReauthorizationRequired.class);
	}

	@Test
	void aFailureOfTheServicesOwnIsSyncFailedUnlessTheDatabaseIsDown() {
		SyncOutcome.Failed bug = new SyncOutcome.Failed(new IllegalStateException("a bug"));
		RuntimeException down = new DataAccessResourceFailureException("down",
				new SQLTransientConnectionException("refused"));

		assertThat(bug.staleReason()).isEqualTo(StaleReason.SYNC_FAILED);
		assertThat(slug(bug)).isEqualTo("sync-failed");
		assertThat(new SyncOutcome.Failed(down).staleReason()).isEqualTo(StaleReason.SYNC_FAILED);
		assertThat(new SyncOutcome.Failed(down).problem("alice")).as("answered as the database being down")
			.isSameAs(down);
	}

	@Test
	void failuresOfOtherModulesBecomeOutcomesOnce() {
		SpotifyUnavailable spotify = new SpotifyUnavailable("502", null);
		IllegalStateException bug = new IllegalStateException("a bug");

		assertThat(SyncOutcome.of(spotify)).isEqualTo(new SyncOutcome.SpotifyFailed(spotify));
		assertThat(SyncOutcome.of(new ReauthorizationRequired("alice"))).isInstanceOf(SyncOutcome.SignInRequired.class);
		assertThat(SyncOutcome.of(mock(LeaseUnavailable.class))).as("another replica holds the library's sync")
			.isInstanceOf(SyncOutcome.InProgress.class);
		assertThat(SyncOutcome.of(mock(LeaseLost.class))).as("another replica took the library over")
			.isInstanceOf(SyncOutcome.InProgress.class);
		assertThat(SyncOutcome.of(bug)).isEqualTo(new SyncOutcome.Failed(bug));
	}

	private static String slug(SyncOutcome.Unsynced outcome) {
		return ((ProblemException) outcome.problem("alice")).slug();
	}

}
