package dev.savedtracks.library.sync;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long sync's pause when Spotify keeps failing, as {@code SPOTIFY_OUTAGE_PAUSE} and
 * {@code SPOTIFY_MAX_OUTAGE_PAUSE} set it (the end-to-end view, with the emulator's 5xx
 * bursts, is {@code SpotifyFaultsTest}'s).
 */
class SyncPagesTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final int PAGES = SyncPages.LONG_SYNC_PAGES;

	private static final int FAILING_OFFSET = 5 * SyncPages.PAGE;

	@Test
	void aLongSyncPausesForTheConfiguredOutagePauseDoubledUpToTheLongest() {
		// 2 s and 30 s in production: the first pause alone would last at least 1 s.
		FailingSpotify spotify = new FailingSpotify(3);

		List<PageRows> pages = pages(spotify, Duration.ofMillis(100), Duration.ofMillis(150)).range(0, PAGES)
			.collectList()
			.block(Duration.ofSeconds(20));

		assertThat(pages).hasSize(PAGES);
		List<Long> asked = spotify.askedAt(FAILING_OFFSET);
		assertThat(asked).as("three failures, then the page").hasSize(4);
		for (int i = 1; i < asked.size(); i++) {
			long pausedMillis = Duration.ofNanos(asked.get(i) - asked.get(i - 1)).toMillis();
			// Between half and all of 100, 150 (capped) and 150 ms.
			assertThat(pausedMillis).as("pause %d", i).isGreaterThanOrEqualTo(50).isLessThan(1000);
		}
	}

	@Test
	void pausesOfAShortSyncAreNotTaken() {
		FailingSpotify spotify = new FailingSpotify(1);

		Throwable failure = pages(spotify, Duration.ofSeconds(30), Duration.ofSeconds(30)).range(0, PAGES - 1)
			.then()
			.map(done -> (Throwable) null)
			.onErrorResume(error -> Mono.just(error))
			.block(Duration.ofSeconds(5));

		assertThat(failure).as("a short sync gives up at once").isInstanceOf(SpotifyUnavailable.class);
	}

	/**
	 * Spotify settings for a sync's pages, unlimited budget, with these bounds and
	 * pauses.
	 */
	static SpotifySettings settings(int pageConcurrency, Duration outagePause, Duration maxOutagePause) {
		return new SpotifySettings("client", "secret", URI.create("https://accounts.spotify.com"),
				URI.create("https://api.spotify.com"), "", Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
				Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(15), pageConcurrency, "unlimited",
				outagePause, maxOutagePause);
	}

	private static SyncPages pages(SpotifyClient spotify, Duration outagePause, Duration maxOutagePause) {
		SpotifySettings settings = settings(4, outagePause, maxOutagePause);
		AccessTokenSource tokens = new AccessTokenSource() {

			@Override
			public String current() {
				return "token";
			}

			@Override
			public String replaceRejected(String rejected) {
				return "token";
			}

		};
		return new SyncPages(spotify, tokens, Requester.of("person", Priority.INTERACTIVE), settings, json,
				new SimpleMeterRegistry().counter("pages"), new SyncProgress.Tracker(), extra -> {
				}, Clock.systemUTC());
	}

	/**
	 * Spotify with {@value #PAGES} pages of one track each, whose page at
	 * {@value #FAILING_OFFSET} fails (its retries spent) the first {@code failures}
	 * times.
	 */
	private static final class FailingSpotify implements SpotifyClient {

		private final AtomicInteger failuresLeft;

		private final Map<Integer, List<Long>> askedAt = new ConcurrentHashMap<>();

		FailingSpotify(int failures) {
			this.failuresLeft = new AtomicInteger(failures);
		}

		@Override
		public Mono<SavedTracksPage> savedTracks(AccessTokenSource tokens, int offset, Requester requester) {
			return Mono.fromCallable(() -> {
				this.askedAt.computeIfAbsent(offset, any -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
				if (offset == FAILING_OFFSET && this.failuresLeft.getAndDecrement() > 0) {
					throw new SpotifyUnavailable("503 after every retry", null);
				}
				return json.readValue("{\"total\":" + PAGES * SyncPages.PAGE + ",\"items\":[{\"added_at\":"
						+ "\"2024-05-01T10:00:00Z\",\"track\":{\"id\":\"t" + offset + "\",\"name\":\"Track\","
						+ "\"uri\":\"spotify:track:t" + offset + "\"}}]}", SavedTracksPage.class);
			});
		}

		List<Long> askedAt(int offset) {
			return this.askedAt.getOrDefault(offset, List.of());
		}

	}

}
