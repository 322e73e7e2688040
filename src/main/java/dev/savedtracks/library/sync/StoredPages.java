package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.store.Head;

/**
 * The pages a failed full sync already read, kept so that the next attempt goes on from
 * where it stopped instead of reading a long library from page 0 again (Spotify answers
 * 5xx often on libraries of 16,000 to 50,000 tracks). A kept copy is taken up only when
 * nothing moved: the library's copy is still the one the sync started from, and Spotify's
 * first page is the same, with the same count, as when the kept part was read (a save
 * goes on top, a removal lowers the count). The rows the copy already stored stay in
 * their generation, the rest stays here. Kept in this replica's memory, for at most
 * {@value #KEEP_MINUTES} minutes and for at most {@value #MAX_KEPT} libraries (a copy
 * holds its tracks' keys and places, about 12 MB for 100,000 tracks, and its unwritten
 * rows): a sync on another replica, or later, starts over (which deletes the stored rows,
 * as every new full sync does with what unfinished ones left).
 */
@Component
class StoredPages {

	static final int KEEP_MINUTES = 30;

	static final int MAX_KEPT = 8;

	private final Map<String, Kept> kept = new ConcurrentHashMap<>();

	private final Clock clock;

	StoredPages(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Keeps the pages of a full sync that failed, started from the copy {@code base}
	 * describes ({@code null}: none).
	 */
	void keep(String accountId, @Nullable Head base, NewGeneration copy) {
		Instant now = this.clock.instant();
		this.kept.values().removeIf(old -> old.expired(now));
		if (this.kept.size() >= MAX_KEPT) {
			this.kept.entrySet()
				.stream()
				.min(Comparator.comparing(entry -> entry.getValue().at()))
				.ifPresent(oldest -> this.kept.remove(oldest.getKey()));
		}
		this.kept.put(accountId, new Kept(identity(base), copy, now));
	}

	/**
	 * The copy kept for this library, when it started from {@code base} and Spotify's
	 * first page is still {@code first}; forgets it either way.
	 */
	@Nullable NewGeneration resume(String accountId, @Nullable Head base, PageRows first) {
		Kept found = this.kept.remove(accountId);
		if (found == null || found.expired(this.clock.instant()) || !found.base().equals(identity(base))
				|| !found.copy().first.sameListing(first)) {
			return null;
		}
		return found.copy();
	}

	/** Forgets a person's tracks as soon as their data is deleted. */
	@TransactionalEventListener(fallbackExecution = true)
	void forget(AccountDirectory.AccountDeleted deleted) {
		this.kept.remove(deleted.accountId());
	}

	/**
	 * Which copy a sync started from: versions restart after a deletion, epochs do not.
	 */
	private static String identity(@Nullable Head base) {
		return (base != null) ? base.epoch() + ":" + base.version() : "none";
	}

	private record Kept(String base, NewGeneration copy, Instant at) {

		boolean expired(Instant now) {
			return now.isAfter(this.at.plus(Duration.ofMinutes(KEEP_MINUTES)));
		}

	}

}
