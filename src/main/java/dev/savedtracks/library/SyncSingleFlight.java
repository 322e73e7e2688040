package dev.savedtracks.library;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Lets concurrent requests for the same person share one sync: the first runs it, the others wait for its result
 * (or its failure). Keyed per person, so one person's long sync never holds up another's requests.
 */
@Component
class SyncSingleFlight {

	private final Map<String, CompletableFuture<LibrarySync.Outcome>> inFlight = new ConcurrentHashMap<>();

	LibrarySync.Outcome run(String accountId, Supplier<LibrarySync.Outcome> sync) {
		CompletableFuture<LibrarySync.Outcome> mine = new CompletableFuture<>();
		CompletableFuture<LibrarySync.Outcome> running = this.inFlight.putIfAbsent(accountId, mine);
		if (running != null) {
			return join(running);
		}
		try {
			mine.complete(sync.get());
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
		}
		finally {
			this.inFlight.remove(accountId, mine);
		}
		return join(mine);
	}

	int running() {
		return this.inFlight.size();
	}

	boolean isRunning(String accountId) {
		return this.inFlight.containsKey(accountId);
	}

	private static LibrarySync.Outcome join(CompletableFuture<LibrarySync.Outcome> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
