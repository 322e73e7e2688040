package dev.savedtracks.library.answer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.LibrarySettings;

/**
 * The encoded JSON answers of recently read windows held in memory, so that repeated
 * reads of an unchanged library are a copy of bytes: no row read, no JSON writing. An
 * answer is kept under its {@link AnswerKey}, the exact version of the library it was
 * read from, so it can never outlive its content, on this replica or another. Bounded by
 * total bytes ({@code LIBRARY_RESPONSE_CACHE_SIZE}); the least used go first. Larger
 * answers are kept on disk instead ({@link AnswerFiles}).
 */
@Component
public class EncodedWindows {

	private static final String JSON = "json";

	private final @Nullable Cache<AnswerKey, byte[]> answers;

	public EncodedWindows(LibrarySettings settings) {
		long bytes = settings.responseCache().toBytes();
		this.answers = (bytes > 0) ? Caffeine.newBuilder()
			.maximumWeight(bytes)
			.<AnswerKey, byte[]>weigher((key, answer) -> answer.length)
			.build() : null;
	}

	public @Nullable byte[] find(OpenLibrary library) {
		return (this.answers != null) ? this.answers.getIfPresent(AnswerKey.of(library, JSON)) : null;
	}

	public void keep(OpenLibrary library, byte[] answer) {
		if (this.answers != null) {
			this.answers.put(AnswerKey.of(library, JSON), answer);
		}
	}

	/**
	 * Drops a person's answers as soon as their data is deleted, rather than leaving them
	 * to age out.
	 */
	@TransactionalEventListener(fallbackExecution = true)
	public void forget(AccountDirectory.AccountDeleted deleted) {
		if (this.answers != null) {
			this.answers.asMap().keySet().removeIf(key -> key.accountId().equals(deleted.accountId()));
		}
	}

}
