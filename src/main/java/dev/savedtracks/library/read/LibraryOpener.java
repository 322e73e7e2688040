package dev.savedtracks.library.read;

import java.time.Clock;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.read.ServeOrSync.CacheResult;
import dev.savedtracks.library.read.ServeOrSync.Decision;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.SyncOutcome;
import dev.savedtracks.library.sync.SyncRunner;

/**
 * The one way to read a person's library: reads the library's head, lets
 * {@link ServeOrSync} decide whether the cached copy is served as it is or synced first,
 * and waits for that sync within {@code LIBRARY_SYNC_WAIT}. One read of the head on a
 * hit; two on a miss (the sync reads it once more under its lease and hands back the head
 * it wrote).
 */
@Service
public class LibraryOpener {

	private final LibraryReader reader;

	private final SyncRunner syncs;

	private final LibraryUse use;

	private final AccountDirectory accounts;

	private final ServeOrSync.Rules rules;

	private final Clock clock;

	// Registered once: looking a meter up by name and tags on every request is a
	// measurable part of a cache hit.
	private final Counter hits;

	private final Counter misses;

	private final Counter revalidations;

	LibraryOpener(LibraryReader reader, SyncRunner syncs, LibraryUse use, AccountDirectory accounts,
			LibrarySettings settings, Clock clock, MeterRegistry meters) {
		this.reader = reader;
		this.syncs = syncs;
		this.use = use;
		this.accounts = accounts;
		this.rules = ServeOrSync.Rules.of(settings);
		this.clock = clock;
		this.hits = cacheResult(meters, "hit");
		this.misses = cacheResult(meters, "miss");
		this.revalidations = cacheResult(meters, "revalidation");
	}

	/**
	 * Opens the library for an answer: the copy to serve, marked stale with a reason when
	 * it could not be confirmed with Spotify just now.
	 * @throws RuntimeException a {@link dev.savedtracks.system.ProblemException} when
	 * nothing can be served: nothing is cached and none can be had now, or Spotify needs
	 * the person to sign in again (and the caller does not accept the stale copy)
	 */
	public OpenLibrary open(String accountId, ReadRequest request) {
		Instant now = this.clock.instant();
		Head head = this.reader.head(accountId).orElse(null);
		if (head != null && head.staleReason() != StaleReason.REAUTHORIZATION_REQUIRED) {
			this.use.read(accountId, now);
		}
		Decision decision = ServeOrSync.decide(head, request.refresh(), request.acceptsStale(),
				(head == null) ? this.syncs.coldFailure(accountId) : null, now, this.rules);
		if (decision instanceof ServeOrSync.Sync sync) {
			count(sync.counted());
			SyncOutcome outcome = this.syncs.sync(accountId, sync.full(), (head != null) ? head.checkedAt() : null);
			if (head == null && outcome instanceof SyncOutcome.Synced) {
				this.use.read(accountId, now);
			}
			if (outcome instanceof SyncOutcome.Failed && this.accounts.find(accountId).isEmpty()) {
				// The person's data was deleted meanwhile: their rows are gone, and must
				// stay gone.
				throw new ReauthorizationRequired(accountId);
			}
			decision = ServeOrSync.afterSync(head, outcome, request.acceptsStale(), sync.throttled(), now);
		}
		if (decision instanceof ServeOrSync.Refuse refuse) {
			throw refuse.why().problem(accountId);
		}
		ServeOrSync.Serve serve = (ServeOrSync.Serve) decision;
		count(serve.counted());
		return new OpenLibrary(accountId, serve.head(), serve.stale(), request.window(), serve.throttled());
	}

	private void count(@Nullable CacheResult result) {
		if (result != null) {
			(switch (result) {
				case HIT -> this.hits;
				case MISS -> this.misses;
				case REVALIDATION -> this.revalidations;
			}).increment();
		}
	}

	private static Counter cacheResult(MeterRegistry meters, String result) {
		return Counter.builder("library.cache")
			.description("Saved-tracks requests by cache result: hit (no Spotify request), miss, revalidation")
			.tag("result", result)
			.register(meters);
	}

}
