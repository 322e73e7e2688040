package dev.savedtracks.library.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.coordination.Leases;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sync is one Reactor pipeline over the WebClient, blocked on only at its edge
 * ({@link SyncPipeline#run}): building it costs Spotify nothing, and it runs to the end,
 * to its outcome, when subscribed from a thread that must never block.
 * <p>
 * The background warm-up: a library in use is revalidated shortly before its freshness
 * runs out, without anyone asking, so the next read is fresh without waiting on Spotify.
 * <p>
 * The warm-up is on in this class's context only (the shared one leaves it off, so that
 * no background request disturbs other tests' counts); the pipeline tests run here too,
 * since the warm-up never picks a library that was not read through the API.
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

	@DynamicPropertySource
	static void warmUp(DynamicPropertyRegistry registry) {
		registry.add("library.warm-up", () -> "true");
		registry.add("library.freshness", () -> "6s");
		registry.add("library.warm-up-lead", () -> "4s");
		registry.add("library.warm-up-read-within", () -> "1h");
	}

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

	// A slow sync: the copy is what Spotify held when the first page was asked for, so
	// its freshness starts then, not when the sync ends.

	@Test
	void aSlowFullSyncIsCheckedWhenItsFirstPageWasAskedFor() {
		EmulatedUser user = newUser(120);
		signedIn(user);
		spotify.latency(SLOW_PAGE);

		Synced synced = slowSync(user, SyncOutcome.Change.FULL);

		assertThat(synced.took()).as("three pages, two round trips at least")
			.isGreaterThanOrEqualTo(SLOW_PAGE.multipliedBy(2));
		assertCheckedWhenAsked(synced);
		assertThat(synced.head().fullSyncedAt()).isEqualTo(synced.head().checkedAt());
		assertThat(this.heads.head(user.id())).hasValue(synced.head());
	}

	@Test
	void aSlowRevalidationOfAnUnchangedLibraryIsCheckedWhenItsFirstPageWasAskedFor() {
		EmulatedUser user = newUser(60);
		signedIn(user);
		slowSync(user, SyncOutcome.Change.FULL);
		spotify.latency(SLOW_PAGE);

		Synced synced = slowSync(user, SyncOutcome.Change.UNCHANGED);

		assertCheckedWhenAsked(synced);
		assertThat(this.heads.head(user.id())).hasValue(synced.head());
	}

	@Test
	void tracksAddedOnTopBySlowSyncAreCheckedWhenItsFirstPageWasAskedFor() {
		EmulatedUser user = newUser(60);
		signedIn(user);
		slowSync(user, SyncOutcome.Change.FULL);
		user.saveNewTracks(2);
		spotify.latency(SLOW_PAGE);

		Synced synced = slowSync(user, SyncOutcome.Change.ADDED_ON_TOP);

		assertThat(synced.head().total()).isEqualTo(62);
		assertCheckedWhenAsked(synced);
		assertThat(this.heads.head(user.id())).hasValue(synced.head());
	}

	private static final Duration SLOW_PAGE = Duration.ofSeconds(1);

	/** A sync's head, when it was subscribed to and how long it took. */
	private record Synced(SyncOutcome.Synced outcome, Instant subscribed, Duration took) {

		Head head() {
			return this.outcome.head();
		}

	}

	private Synced slowSync(EmulatedUser user, SyncOutcome.Change expected) {
		try (Lease lease = lease(user)) {
			Mono<SyncOutcome> pipeline = pipeline(user, lease);
			Instant subscribed = Instant.now();

			SyncOutcome outcome = pipeline.block(Duration.ofSeconds(30));

			Duration took = Duration.between(subscribed, Instant.now());
			assertThat(outcome).isInstanceOf(SyncOutcome.Synced.class);
			SyncOutcome.Synced synced = (SyncOutcome.Synced) outcome;
			assertThat(synced.change()).isEqualTo(expected);
			return new Synced(synced, subscribed, took);
		}
	}

	/**
	 * The head is checked when the first page was asked for: after the sync was
	 * subscribed to, and before that page's answer came (a page takes
	 * {@link #SLOW_PAGE}), so long before the sync's writes.
	 */
	private static void assertCheckedWhenAsked(Synced synced) {
		assertThat(synced.took()).isGreaterThanOrEqualTo(SLOW_PAGE);
		assertThat(synced.head().checkedAt()).isNotNull()
			.isAfterOrEqualTo(synced.subscribed().truncatedTo(ChronoUnit.MILLIS))
			.isBefore(synced.subscribed().plus(SLOW_PAGE));
	}

	private Lease lease(EmulatedUser user) {
		return this.leases.tryAcquire("library-sync:" + user.id(), Duration.ofSeconds(30)).orElseThrow();
	}

	private Mono<SyncOutcome> pipeline(EmulatedUser user, Lease lease) {
		return this.sync.pipeline(user.id(), this.heads.head(user.id()).orElse(null), false, lease,
				this.progress.start(user.id()), Requester.of(user.id(), Priority.INTERACTIVE));
	}

	// The warm-up: pipelines started in the background, with nobody waiting on them.

	@Test
	void aLibraryInUseIsRevalidatedBeforeItsFreshnessRunsOutWithoutAnyoneAsking() {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		Instant firstCheck = checkedAt(user);
		spotify.counters().reset();

		await().atMost(Duration.ofSeconds(15)).until(() -> checkedAt(user).isAfter(firstCheck));

		assertThat(spotify.counters().tracksRequests(user.id())).as("one request: nothing changed").isEqualTo(1);
		assertThat(Duration.between(firstCheck, checkedAt(user))).as("revalidated before the 6 s freshness ran out")
			.isLessThan(Duration.ofSeconds(6));
		spotify.counters().reset();
		assertThat(read(browser.api("/api/saved-tracks")).get("total").asInt()).isEqualTo(60);
		assertThat(spotify.counters().tracksRequests(user.id())).as("the read found a fresh copy").isZero();
	}

	@Test
	void aLibraryNobodyReadsIsLeftAlone() {
		EmulatedUser idle = newUser(60);
		read(signedIn(idle).api("/api/saved-tracks"));
		this.jdbc.sql("update library set read_at = ? where account_id = ?")
			.params(java.sql.Timestamp.from(Instant.now().minus(Duration.ofHours(2))), idle.id())
			.update();
		// A library in use, checked after the idle one: the round that revalidates it had
		// the idle one due too, and first (the warm-up takes the longest unchecked
		// first).
		EmulatedUser inUse = newUser(60);
		read(signedIn(inUse).api("/api/saved-tracks"));
		Instant idleChecked = checkedAt(idle);
		Instant inUseChecked = checkedAt(inUse);
		assertThat(idleChecked).isBeforeOrEqualTo(inUseChecked);
		spotify.counters().reset();

		await().atMost(Duration.ofSeconds(15)).until(() -> checkedAt(inUse).isAfter(inUseChecked));

		assertThat(checkedAt(idle)).isEqualTo(idleChecked);
		assertThat(spotify.counters().tracksRequests(idle.id())).isZero();
	}

	private Instant checkedAt(EmulatedUser user) {
		return this.jdbc.sql("select checked_at from library where account_id = ?")
			.param(user.id())
			.query(OffsetDateTime.class)
			.single()
			.toInstant();
	}

}
