package dev.savedtracks.library;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.savedtracks.account.AccountDirectory;

/**
 * The encoded JSON answers of recently read windows, so that repeated reads of an
 * unchanged library are a copy of bytes: no row read, no JSON writing. An answer is keyed
 * by the exact version of the library it was read from (its version number and sync time,
 * which every change to the cached copy moves), so it can never outlive its content, on
 * this replica or another: whoever writes a new version, readers look up the new key.
 * Stale and fresh answers of one version have the same bytes (staleness travels in a
 * header). Bounded by total bytes ({@code LIBRARY_RESPONSE_CACHE_SIZE}), least recently
 * used first out.
 */
@Component
class EncodedWindows {

	private final @Nullable Cache<Key, byte[]> answers;

	EncodedWindows(LibrarySettings settings) {
		long bytes = settings.responseCache().toBytes();
		this.answers = (bytes > 0) ? Caffeine.newBuilder()
			.maximumWeight(bytes)
			.<Key, byte[]>weigher((key, answer) -> answer.length)
			.build() : null;
	}

	@Nullable byte[] find(OpenLibrary library) {
		return (this.answers != null) ? this.answers.getIfPresent(Key.of(library)) : null;
	}

	void keep(OpenLibrary library, byte[] answer) {
		if (this.answers != null) {
			this.answers.put(Key.of(library), answer);
		}
	}

	/**
	 * Drops a person's answers as soon as their data is deleted, rather than leaving them
	 * to age out.
	 */
	@TransactionalEventListener(fallbackExecution = true)
	void forget(AccountDirectory.AccountDeleted deleted) {
		if (this.answers != null) {
			this.answers.asMap().keySet().removeIf(key -> key.accountId().equals(deleted.accountId()));
		}
	}

	private record Key(String accountId, long epoch, long version, long syncedAtMillis, int offset, int limit) {

		static Key of(OpenLibrary library) {
			Head head = library.head();
			long synced = (head.syncedAt() != null) ? head.syncedAt().toEpochMilli() : 0;
			return new Key(library.accountId(), head.epoch(), head.version(), synced, library.window().offset(),
					library.window().limit());
		}

	}

}
