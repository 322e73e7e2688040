package dev.savedtracks.library.sync;

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
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync is one Reactor pipeline over the WebClient, blocked on only at its edge
 * ({@link SyncPipeline#run}): building it costs Spotify nothing, and it runs to the end,
 * to its outcome, when subscribed from a thread that must never block.
 */
class SyncPipelineTest extends EmulatedSpotifyTest {

	@Autowired
	private SyncPipeline sync;

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
			Mono<SyncOutcome> pipeline = pipeline(user, lease);
			assertThat(spotify.counters().tracksRequests(user.id())).isZero();

			SyncOutcome outcome = pipeline.block(Duration.ofSeconds(30));

			assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Synced.class, synced -> {
				assertThat(synced.change()).isEqualTo(SyncOutcome.Change.FULL);
				assertThat(synced.head().total()).isEqualTo(120);
			});
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
			SyncOutcome outcome = pipeline(user, lease).subscribeOn(Schedulers.parallel())
				.block(Duration.ofSeconds(30));

			assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Synced.class,
					synced -> assertThat(synced.head().total()).isEqualTo(260));
			assertThat(this.heads.head(user.id()))
				.hasValueSatisfying((head) -> assertThat(head.total()).isEqualTo(260));
		}
	}

	private Lease lease(EmulatedUser user) {
		return this.leases.tryAcquire("library-sync:" + user.id(), Duration.ofSeconds(30)).orElseThrow();
	}

	private Mono<SyncOutcome> pipeline(EmulatedUser user, Lease lease) {
		return this.sync.pipeline(user.id(), this.heads.head(user.id()).orElse(null), false, lease,
				this.progress.start(user.id()), Requester.of(user.id(), Priority.INTERACTIVE));
	}

}
