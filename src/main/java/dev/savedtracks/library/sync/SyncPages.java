package dev.savedtracks.library.sync;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.ExtraRequest;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyClient;

/**
 * One sync's pages of Spotify's saved tracks: requested within the request budget, at
 * most {@code SPOTIFY_PAGE_CONCURRENCY} at a time, converted to rows ({@link PageRows}),
 * counted for the progress bar. Pages are published on the bounded-elastic scheduler, so
 * that the JDBC work that follows each one never runs on the HTTP client's event loop. A
 * page asked for again within the sync is counted as an {@link ExtraRequest}.
 */
final class SyncPages {

	static final int PAGE = SpotifyClient.PAGE_SIZE;

	private final SpotifyClient spotify;

	private final AccessTokenSource tokens;

	private final Requester requester;

	private final int concurrency;

	private final JsonMapper json;

	private final Counter requested;

	final SyncProgress.Tracker progress;

	private final Consumer<ExtraRequest> extra;

	/** The offsets asked for so far in this sync. */
	private final Set<Integer> asked = ConcurrentHashMap.newKeySet();

	SyncPages(SpotifyClient spotify, AccessTokenSource tokens, Requester requester, int concurrency, JsonMapper json,
			Counter requested, SyncProgress.Tracker progress, Consumer<ExtraRequest> extra) {
		this.spotify = spotify;
		this.tokens = tokens;
		this.requester = requester;
		this.concurrency = concurrency;
		this.json = json;
		this.requested = requested;
		this.progress = progress;
		this.extra = extra;
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
		return Flux.range(from, count)
			.flatMapSequential(index -> page(index * PAGE), this.concurrency, 1)
			.publishOn(Schedulers.boundedElastic());
	}

	private Mono<PageRows> page(int offset) {
		return Mono.defer(() -> {
			this.requested.increment();
			if (!this.asked.add(offset)) {
				this.extra.accept((offset == 0) ? ExtraRequest.DRIFT_RECHECK : ExtraRequest.REREAD);
			}
			return this.spotify.savedTracks(this.tokens, offset, this.requester)
				.doOnNext(page -> this.progress.pageFetched())
				.map(page -> PageRows.of(offset, page, this.json));
		});
	}

}
