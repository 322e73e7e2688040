package dev.savedtracks.library.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyUnavailable;

/**
 * One sync's pages of Spotify's saved tracks: requested within the request budget, at
 * most {@code SPOTIFY_PAGE_CONCURRENCY} at a time, converted to rows ({@link PageRows}),
 * counted for the progress bar. Pages are published on the bounded-elastic scheduler, so
 * that the JDBC work that follows each one never runs on the HTTP client's event loop.
 */
final class SyncPages {

	static final int PAGE = SpotifyClient.PAGE_SIZE;

	/** Syncs reading this many pages at once or more wait out transient failures. */
	static final int LONG_SYNC_PAGES = 20;

	private static final int PATIENT_ATTEMPTS = 6;

	private static final Duration FIRST_WAIT = Duration.ofSeconds(2);

	private static final Duration MAX_WAIT = Duration.ofSeconds(30);

	private static final Retry PATIENCE = patience();

	private final SpotifyClient spotify;

	private final AccessTokenSource tokens;

	private final Requester requester;

	private final int concurrency;

	private final JsonMapper json;

	private final Counter requested;

	final SyncProgress.Tracker progress;

	SyncPages(SpotifyClient spotify, AccessTokenSource tokens, Requester requester, int concurrency, JsonMapper json,
			Counter requested, SyncProgress.Tracker progress) {
		this.spotify = spotify;
		this.tokens = tokens;
		this.requester = requester;
		this.concurrency = concurrency;
		this.json = json;
		this.requested = requested;
		this.progress = progress;
	}

	/** The first page, published where blocking work may follow. */
	Mono<PageRows> first() {
		return page(0).publishOn(Schedulers.boundedElastic());
	}

	/**
	 * Pages {@code from .. from+count-1}, requested concurrently within the configured
	 * bound, in order, published one at a time where blocking work may follow.
	 */
	Flux<PageRows> range(int from, int count) {
		if (count <= 0) {
			return Flux.empty();
		}
		boolean longSync = count >= LONG_SYNC_PAGES;
		return Flux.range(from, count)
			.flatMapSequential(index -> longSync ? page(index * PAGE).retryWhen(PATIENCE) : page(index * PAGE),
					this.concurrency, 1)
			.publishOn(Schedulers.boundedElastic());
	}

	/**
	 * How a page of a long sync waits out Spotify's transient failures (5xx bursts are
	 * common on libraries of 16,000 to 50,000 tracks): after a page's own quick retries
	 * failed, it is asked for again {@value #PATIENT_ATTEMPTS} times at most, after
	 * 2, 4, 8, 16, 30 and 30 s (each between half and all of it, at random, so that the
	 * pages in flight do not come back together), or after the {@code Retry-After} of
	 * Spotify's 5xx when that is longer (at most a minute): about two minutes in all,
	 * instead of throwing away every page already read.
	 */
	private static Retry patience() {
		return Retry.from(signals -> signals.concatMap(signal -> {
			Throwable failure = signal.failure();
			if (!(failure instanceof SpotifyUnavailable unavailable) || signal.totalRetries() >= PATIENT_ATTEMPTS) {
				return Mono.error(failure);
			}
			long backoff = Math.min(FIRST_WAIT.toMillis() << signal.totalRetries(), MAX_WAIT.toMillis());
			Duration wait = Duration.ofMillis(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
			Duration asked = unavailable.retryAfter();
			return Mono.delay((asked != null && asked.compareTo(wait) > 0) ? asked : wait);
		}));
	}

	private Mono<PageRows> page(int offset) {
		return Mono.defer(() -> {
			this.requested.increment();
			return this.spotify.savedTracks(this.tokens, offset, this.requester)
				.doOnNext(page -> this.progress.pageFetched())
				.map(page -> PageRows.of(offset, page, this.json));
		});
	}

}
