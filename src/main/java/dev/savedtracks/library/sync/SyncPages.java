package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.ExtraRequest;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;

/**
 * One sync's pages of Spotify's saved tracks: requested within the request budget, at
 * most {@code SPOTIFY_PAGE_CONCURRENCY} at a time, converted to rows ({@link PageRows}),
 * counted for the progress bar. Pages are published on the bounded-elastic scheduler, so
 * that the JDBC work that follows each one never runs on the HTTP client's event loop. A
 * page asked for again within the sync is counted as an {@link ExtraRequest}.
 */
final class SyncPages {

	static final int PAGE = SpotifyClient.PAGE_SIZE;

	/** Syncs reading this many pages at once or more wait out transient failures. */
	static final int LONG_SYNC_PAGES = 20;

	private static final int PATIENT_ATTEMPTS = 6;

	private static final Duration PROBE_POLL = Duration.ofMillis(200);

	/**
	 * How many times the concurrency bound of pages may be requested or held at once,
	 * waiting for the earliest one still in flight.
	 */
	static final int LOOKAHEAD = 2;

	/** Failed probes in a row (reset by any page that arrives). */
	private final AtomicInteger failuresInARow = new AtomicInteger();

	private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);

	private final AtomicBoolean probing = new AtomicBoolean();

	private final SpotifyClient spotify;

	private final AccessTokenSource tokens;

	private final Requester requester;

	private final int concurrency;

	/** The page requests of this sync in flight: at most {@link #concurrency}. */
	private final PageSlots slots;

	/** The first pause of a long sync after a failure ({@code SPOTIFY_OUTAGE_PAUSE}). */
	private final Duration firstPause;

	/** The longest such pause ({@code SPOTIFY_MAX_OUTAGE_PAUSE}). */
	private final Duration maxPause;

	private final JsonMapper json;

	private final Counter requested;

	final SyncProgress.Tracker progress;

	private final Consumer<ExtraRequest> extra;

	private final Clock clock;

	/** The offsets asked for so far in this sync. */
	private final Set<Integer> asked = ConcurrentHashMap.newKeySet();

	SyncPages(SpotifyClient spotify, AccessTokenSource tokens, Requester requester, SpotifySettings settings,
			JsonMapper json, Counter requested, SyncProgress.Tracker progress, Consumer<ExtraRequest> extra,
			Clock clock) {
		this.spotify = spotify;
		this.tokens = tokens;
		this.requester = requester;
		this.concurrency = Math.max(1, settings.pageConcurrency());
		this.slots = new PageSlots(this.concurrency);
		this.firstPause = settings.outagePause();
		this.maxPause = settings.maxOutagePause();
		this.json = json;
		this.requested = requested;
		this.progress = progress;
		this.extra = extra;
		this.clock = clock;
	}

	/** The first page, published where blocking work may follow. */
	Mono<PageRows> first() {
		return page(0).publishOn(Schedulers.boundedElastic());
	}

	/**
	 * Pages {@code from .. from+count-1}, in order, published one at a time where
	 * blocking work may follow. At most the configured bound of them are requested at
	 * once ({@link PageSlots}), and each page's answer frees its slot for the next page
	 * at once: the requests do not wait, round after round, for the slowest page of the
	 * round before. Pages answered ahead of a slow one wait for it, at most
	 * {@value #LOOKAHEAD} times the bound, so that memory stays bounded.
	 */
	Flux<PageRows> range(int from, int count) {
		if (count <= 0) {
			return Flux.empty();
		}
		return pages(Flux.range(from, count), count >= LONG_SYNC_PAGES);
	}

	/**
	 * The pages of these indexes, requested as {@link #range} requests them; with
	 * {@code patient}, waiting out transient failures as a long sync does.
	 */
	Flux<PageRows> pages(List<Integer> indexes, boolean patient) {
		return pages(Flux.fromIterable(indexes), patient);
	}

	private Flux<PageRows> pages(Flux<Integer> indexes, boolean patient) {
		return indexes
			.flatMapSequential(index -> patient ? patientPage(index * PAGE) : page(index * PAGE),
					LOOKAHEAD * this.concurrency, 1)
			.publishOn(Schedulers.boundedElastic());
	}

	/**
	 * A page of a long sync, waiting out Spotify's transient failures (5xx bursts are
	 * common on libraries of 16,000 to 50,000 tracks) instead of throwing away every page
	 * already read. When a page's own quick retries failed, the whole sync pauses: by
	 * default for 2, 4, 8, 16, 30 and 30 s after each failure in a row
	 * ({@code SPOTIFY_OUTAGE_PAUSE} doubled up to {@code SPOTIFY_MAX_OUTAGE_PAUSE}; each
	 * between half and all of it, at random), or for the {@code Retry-After} of Spotify's
	 * 5xx when that is longer (at most a minute); then one page at a time asks (the
	 * probe), the others waiting for it, so that a burst costs a few requests rather than
	 * a few per page in flight. After {@value #PATIENT_ATTEMPTS} failed probes in a row
	 * (about two minutes) the sync fails.
	 */
	private Mono<PageRows> patientPage(int offset) {
		AtomicBoolean probe = new AtomicBoolean();
		return Mono.defer(() -> {
			// This attempt's own flag (its doFinally may run once the next one began).
			AtomicBoolean isProbe = new AtomicBoolean();
			probe.set(false);
			// The gate is passed once the page holds its slot: pages that waited for
			// one while the trouble began wait out the pause too, not ask at once.
			Mono<Boolean> gate = gate().doOnNext(granted -> {
				isProbe.set(granted);
				probe.set(granted);
			});
			return page(offset, gate).doOnNext(page -> this.failuresInARow.set(0)).doFinally(signal -> {
				if (isProbe.get()) {
					this.probing.set(false);
				}
			});
		}).retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
			Throwable failure = signal.failure();
			if (!(failure instanceof SpotifyUnavailable unavailable)) {
				return Mono.error(failure);
			}
			// Pages that were in flight when the trouble began count once, as one.
			int failures = (probe.get() || this.failuresInARow.get() == 0) ? this.failuresInARow.incrementAndGet()
					: this.failuresInARow.get();
			if (failures > PATIENT_ATTEMPTS) {
				return Mono.error(failure);
			}
			long backoff = Math.min(this.firstPause.toMillis() << (failures - 1), this.maxPause.toMillis());
			Duration wait = Duration.ofMillis(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
			Duration asked = unavailable.retryAfter();
			Instant until = Instant.now().plus((asked != null && asked.compareTo(wait) > 0) ? asked : wait);
			this.pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
			return Mono.just(failures);
		})));
	}

	/**
	 * Waits out the sync's pause; while Spotify keeps failing, lets one page through at a
	 * time ({@code true}: this one is the probe).
	 */
	private Mono<Boolean> gate() {
		return Mono.defer(() -> {
			Duration wait = Duration.between(Instant.now(), this.pausedUntil.get());
			if (wait.compareTo(Duration.ZERO) > 0) {
				return Mono.delay(wait).then(Mono.<Boolean>empty());
			}
			if (this.failuresInARow.get() == 0) {
				return Mono.just(false);
			}
			return this.probing.compareAndSet(false, true) ? Mono.just(true)
					: Mono.delay(PROBE_POLL).then(Mono.<Boolean>empty());
		}).repeatWhenEmpty(Integer.MAX_VALUE, repeats -> repeats);
	}

	private Mono<PageRows> page(int offset) {
		return page(offset, Mono.just(false));
	}

	/**
	 * The page at {@code offset}, asked for once it holds a slot and {@code gate} let it.
	 */
	private Mono<PageRows> page(int offset, Mono<Boolean> gate) {
		return Mono.defer(() -> {
			AtomicReference<Instant> requestedAt = new AtomicReference<>();
			return this.slots.within(gate.then(Mono.defer(() -> {
				// Taken before the budget's permit and any retry: what the page lists,
				// Spotify held at this time or later, so a copy it confirms is dated no
				// later.
				requestedAt.set(this.clock.instant());
				this.requested.increment();
				if (!this.asked.add(offset)) {
					this.extra.accept((offset == 0) ? ExtraRequest.DRIFT_RECHECK : ExtraRequest.REREAD);
				}
				return this.spotify.savedTracks(this.tokens, offset, this.requester);
			})))
				.doOnNext(page -> this.progress.pageFetched())
				.map(page -> PageRows.of(offset, page, requestedAt.get(), this.json));
		});
	}

}
