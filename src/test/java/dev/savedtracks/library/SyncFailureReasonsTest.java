package dev.savedtracks.library;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.coordination.Leases.LeaseUnavailable;
import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.SpotifyUnavailable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** Every way a sync fails is told to callers as the stale reason that explains it. */
class SyncFailureReasonsTest {

	@Test
	void spotifysFailuresTellTheirKind() {
		assertThat(LibrarySyncs.reason(new SpotifyUnavailable("502", null))).isEqualTo(StaleReason.SPOTIFY_UNAVAILABLE);
		assertThat(LibrarySyncs.reason(new SpotifyProtocolViolation("no items")))
			.isEqualTo(StaleReason.SPOTIFY_UNAVAILABLE);
		assertThat(LibrarySyncs.reason(new SpotifyRequestRejected(400, "bad offset")))
			.isEqualTo(StaleReason.SPOTIFY_UNAVAILABLE);
		assertThat(LibrarySyncs.reason(new SpotifyRateLimited(Duration.ofSeconds(3))))
			.isEqualTo(StaleReason.SPOTIFY_RATE_LIMITED);
		assertThat(LibrarySyncs.reason(new SpotifyQuotaExceeded(Duration.ofHours(5))))
			.isEqualTo(StaleReason.SPOTIFY_QUOTA_EXCEEDED);
		assertThat(LibrarySyncs.reason(new SpotifyAccessDenied(SpotifyAccessDenied.Reason.USER_NOT_REGISTERED, "403")))
			.isEqualTo(StaleReason.SPOTIFY_ACCESS_DENIED);
		assertThat(
				LibrarySyncs.reason(new SpotifyAccessDenied(SpotifyAccessDenied.Reason.OWNER_PREMIUM_REQUIRED, "403")))
			.isEqualTo(StaleReason.SPOTIFY_OWNER_PREMIUM_LAPSED);
	}

	@Test
	void theLibrarysOwnFailuresCarryTheirReason() {
		assertThat(LibrarySyncs.reason(new LibraryChangedDuringSync("alice", 3)))
			.isEqualTo(StaleReason.LIBRARY_CHANGING);
		assertThat(LibrarySyncs.reason(new FullSyncsExhausted(Instant.EPOCH)))
			.isEqualTo(StaleReason.FULL_SYNCS_EXHAUSTED);
		assertThat(LibrarySyncs.reason(LibraryUnavailable.syncInProgress())).isEqualTo(StaleReason.SYNC_IN_PROGRESS);
		assertThat(LibrarySyncs.reason(LibraryUnavailable.syncFailed("disk full"))).isEqualTo(StaleReason.SYNC_FAILED);
	}

	@Test
	void aPersonToSignInAgainAnotherReplicasSyncAndAnythingElse() {
		assertThat(LibrarySyncs.reason(new ReauthorizationRequired("alice")))
			.isEqualTo(StaleReason.REAUTHORIZATION_REQUIRED);
		assertThat(LibrarySyncs.reason(mock(LeaseUnavailable.class))).isEqualTo(StaleReason.SYNC_IN_PROGRESS);
		assertThat(LibrarySyncs.reason(new IllegalStateException("a bug"))).isEqualTo(StaleReason.SYNC_FAILED);
	}

}
