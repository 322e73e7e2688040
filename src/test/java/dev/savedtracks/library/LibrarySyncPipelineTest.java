package dev.savedtracks.library;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.coordination.Leases;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.LibrarySync;
import dev.savedtracks.library.sync.SyncProgress;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync is one Reactor pipeline over the WebClient, blocked on only at its edge
 * ({@link LibrarySync#synchronise}): building it costs Spotify nothing, and it runs to
 * the end when subscribed from a thread that must never block.
 */
class LibrarySyncPipelineTest extends EmulatedSpotifyTest {

	@Autowired
	private LibrarySync sync;

	@Autowired
	private Leases leases;

	@Autowired
	private SyncProgress progress;

	@Autowired
	private LibraryReader heads;

	@Test
	void aSyncAsksNothingOfSpotifyUntilItIsSubscribed() {
		EmulatedUser user = newUser(120);
		signedIn(user);
		spotify.counters().reset();

		try (Lease lease = lease(user)) {
			Mono<LibrarySync.Result> pipeline = pipeline(user, lease);
			assertThat(spotify.counters().tracksRequests(user.id())).isZero();

			LibrarySync.Result result = pipeline.block(Duration.ofSeconds(30));

			assertThat(result).isNotNull();
			assertThat(result.outcome()).isEqualTo(LibrarySync.Outcome.FULL);
			assertThat(result.head().total()).isEqualTo(120);
			assertThat(spotify.counters().tracksRequests(user.id())).as("one request per page").isEqualTo(3);
		}
	}

	@Test
	void aSyncSubscribedFromANonBlockingThreadRunsToTheEnd() {
		EmulatedUser user = newUser(260);
		signedIn(user);

		try (Lease lease = lease(user)) {
			// Reactor refuses a block() on its parallel threads: any blocking call left
			// inside the pipeline (a page, a plan, a write) would fail this.
			LibrarySync.Result result = pipeline(user, lease).subscribeOn(Schedulers.parallel())
				.block(Duration.ofSeconds(30));

			assertThat(result).isNotNull();
			assertThat(result.head().total()).isEqualTo(260);
			assertThat(this.heads.head(user.id()))
				.hasValueSatisfying((head) -> assertThat(head.total()).isEqualTo(260));
		}
	}

	private Lease lease(EmulatedUser user) {
		return this.leases.tryAcquire("library-sync:" + user.id(), Duration.ofSeconds(30)).orElseThrow();
	}

	private Mono<LibrarySync.Result> pipeline(EmulatedUser user, Lease lease) {
		return this.sync.pipeline(user.id(), this.heads.head(user.id()).orElse(null), false, lease,
				this.progress.start(user.id()), Requester.of(user.id(), Priority.INTERACTIVE));
	}

}
