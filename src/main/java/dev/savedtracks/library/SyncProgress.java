package dev.savedtracks.library;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * How far the running syncs of this replica have got, for the page's progress bar: pages fetched out of the pages
 * the sync needs (known once the first page has told the total).
 */
@Component
class SyncProgress {

	private final Map<String, Tracker> running = new ConcurrentHashMap<>();

	Tracker start(String accountId) {
		Tracker tracker = new Tracker();
		this.running.put(accountId, tracker);
		return tracker;
	}

	void finish(String accountId, Tracker tracker) {
		this.running.remove(accountId, tracker);
	}

	Optional<Snapshot> of(String accountId) {
		return Optional.ofNullable(this.running.get(accountId)).map(Tracker::snapshot);
	}

	/** Counts the pages of one sync. */
	static final class Tracker {

		private final AtomicInteger fetched = new AtomicInteger();

		private volatile int needed;

		void pageFetched() {
			this.fetched.incrementAndGet();
		}

		/** The pages this sync will fetch in all, including those already fetched. */
		void pagesNeeded(int pages) {
			this.needed = pages;
		}

		Snapshot snapshot() {
			int done = this.fetched.get();
			return new Snapshot(done, Math.max(this.needed, done));
		}

	}

	/** Pages fetched and pages needed (0 while unknown). */
	record Snapshot(int pagesFetched, int pagesTotal) {
	}

}
