package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyUnavailable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sync's pages: at most {@code SPOTIFY_PAGE_CONCURRENCY} requests in flight, each slot
 * given to the next page as soon as its answer arrives (not when every earlier page has
 * answered), the pages delivered in order, and the pages answered ahead of a slow one
 * bounded. Against a Spotify whose answers the test releases one by one, so that what is
 * in flight is seen at each step, without timing.
 */
class SyncPagesInFlightTest {

	private static final int C = 8;

	private static final int PAGES = 40;

	private final HeldSpotify spotify = new HeldSpotify();

	private final SyncPages pages = new SyncPages(this.spotify, new FixedToken(),
			Requester.of("account", Priority.INTERACTIVE),
			SyncPagesTest.settings(C, Duration.ofSeconds(2), Duration.ofSeconds(30)), JsonMapper.builder().build(),
			new SimpleMeterRegistry().counter("pages"), new SyncProgress.Tracker(), extra -> {
			}, Clock.systemUTC());

	private final List<Integer> delivered = new CopyOnWriteArrayList<>();

	@Test
	void aLibraryThatFitsTheWindowKeepsConcurrencyRequestsInFlightWhileOnePageIsSlow() {
		Disposable sync = this.pages.range(1, PAGES - 1).subscribe(page -> this.delivered.add(page.offset() / 50));
		try {
			awaitInFlight(C);
			assertThat(this.spotify.askedPages()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

			// Every page of the first round answers but page 1.
			for (int page = 2; page <= 8; page++) {
				this.spotify.answer(page);
			}

			// Each answer gave its slot to the next page at once: C in flight again,
			// although page 1 still waits.
			awaitInFlight(C);
			assertThat(this.spotify.askedPages()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
			assertThat(this.delivered).as("pages are delivered in order: none before page 1").isEmpty();

			this.spotify.answer(1);
			await().until(() -> this.delivered.size() == 8);
			assertThat(this.delivered).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
			awaitInFlight(C);
		}
		finally {
			sync.dispose();
		}
	}

	@Test
	void pagesAnsweredAheadOfASlowOneAreBoundedAndEveryPageComesInOrder() {
		this.spotify.answerAllBut(1);
		Disposable sync = this.pages.range(1, PAGES - 1).subscribe(page -> this.delivered.add(page.offset() / 50));
		try {
			// Page 1 holds up delivery: the pages after it are read ahead only so far.
			await().until(() -> this.spotify.asked.size() == SyncPages.LOOKAHEAD * C);
			assertThat(this.spotify.inFlight.get()).isEqualTo(1);
			assertThat(this.delivered).isEmpty();

			this.spotify.answer(1);

			await().until(() -> this.delivered.size() == PAGES - 1);
			List<Integer> expected = new ArrayList<>();
			for (int page = 1; page < PAGES; page++) {
				expected.add(page);
			}
			assertThat(this.delivered).isEqualTo(expected);
			assertThat(this.spotify.maxInFlight.get()).isLessThanOrEqualTo(C);
		}
		finally {
			sync.dispose();
		}
	}

	@Test
	void aCancelledSyncAsksForNothingMoreAndGivesItsSlotsBack() {
		Disposable first = this.pages.range(1, PAGES - 1).subscribe();
		awaitInFlight(C);
		first.dispose();

		assertThat(this.spotify.askedPages()).as("no page waiting behind was sent")
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
		assertThat(this.spotify.inFlight.get()).isZero();
		Disposable again = this.pages.range(1, PAGES - 1).subscribe();
		try {
			await().until(() -> this.spotify.asked.size() == 2 * C);
		}
		finally {
			again.dispose();
		}
	}

	@Test
	void aPageThatFailsEndsTheRangeWithoutSendingThePagesWaitingBehindIt() {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Disposable sync = this.pages.range(1, SyncPages.LONG_SYNC_PAGES - 1)
			.subscribe(page -> this.delivered.add(page.offset() / 50), failure::set);
		try {
			awaitInFlight(C);

			this.spotify.fail(1);

			await().until(() -> failure.get() != null);
			assertThat(failure.get()).isInstanceOf(SpotifyUnavailable.class);
			assertThat(this.spotify.askedPages()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
			assertThat(this.spotify.inFlight.get()).isZero();
		}
		finally {
			sync.dispose();
		}
	}

	private void awaitInFlight(int count) {
		await().untilAsserted(() -> assertThat(this.spotify.inFlight.get()).isEqualTo(count));
	}

	/**
	 * A Spotify that answers each page when the test says so (or at once, for pages
	 * released in advance), counting what is in flight.
	 */
	private static final class HeldSpotify implements SpotifyClient {

		final List<Integer> asked = new CopyOnWriteArrayList<>();

		final AtomicInteger inFlight = new AtomicInteger();

		final AtomicInteger maxInFlight = new AtomicInteger();

		private final Map<Integer, Sinks.One<SavedTracksPage>> held = new ConcurrentHashMap<>();

		private volatile int heldBack = -1;

		@Override
		public Mono<SavedTracksPage> savedTracks(AccessTokenSource tokens, int offset, Requester requester) {
			return Mono.defer(() -> {
				int page = offset / SpotifyClient.PAGE_SIZE;
				this.asked.add(page);
				this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
				Sinks.One<SavedTracksPage> answer = sink(page);
				if (this.heldBack >= 0 && page != this.heldBack) {
					answer.tryEmitValue(page(offset));
				}
				// Out of flight when the answer leaves, before anything downstream
				// handles it.
				AtomicBoolean out = new AtomicBoolean();
				Runnable leave = () -> {
					if (out.compareAndSet(false, true)) {
						this.inFlight.decrementAndGet();
					}
				};
				return answer.asMono().doOnNext(value -> leave.run()).doOnError(error -> leave.run()).doOnCancel(leave);
			});
		}

		void answer(int page) {
			sink(page).tryEmitValue(page(page * SpotifyClient.PAGE_SIZE));
		}

		void fail(int page) {
			sink(page).tryEmitError(new SpotifyUnavailable("Spotify request failed", null));
		}

		void answerAllBut(int page) {
			this.heldBack = page;
		}

		List<Integer> askedPages() {
			return this.asked.stream().sorted().toList();
		}

		private Sinks.One<SavedTracksPage> sink(int page) {
			return this.held.computeIfAbsent(page, key -> Sinks.one());
		}

		private static SavedTracksPage page(int offset) {
			return new SavedTracksPage(null, List.of(), SpotifyClient.PAGE_SIZE, null, offset, null,
					(long) PAGES * SpotifyClient.PAGE_SIZE);
		}

	}

	private static final class FixedToken implements AccessTokenSource {

		@Override
		public String current() {
			return "token";
		}

		@Override
		public String replaceRejected(String rejected) {
			return "token";
		}

	}

}
