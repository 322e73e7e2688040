package dev.savedtracks.library;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.SyncRunner;

/** A person's cached library at a glance, for other features (profile, pages). */
@Service
public class LibrarySummaries {

	private final LibraryReader heads;

	private final SyncRunner syncs;

	LibrarySummaries(LibraryReader heads, SyncRunner syncs) {
		this.heads = heads;
		this.syncs = syncs;
	}

	/** Empty when nothing is cached yet. */
	public Optional<Summary> summary(String accountId) {
		return this.heads.head(accountId).map(head -> {
			String state = this.syncs.isRunning(accountId) ? "SYNCING"
					: (head.staleReason() != null) ? "FAILED" : "COMPLETE";
			return new Summary(head.total(), head.spotifyTotal(), head.unavailable(), head.removed(), head.duplicates(),
					head.syncedAt(), head.checkedAt(), state,
					(head.staleReason() != null) ? head.staleReason().slug() : null);
		});
	}

	/**
	 * Size of the cached library and what Spotify counts but it does not hold, when it
	 * was last stored complete and last confirmed against Spotify, the state of the
	 * latest sync ({@code COMPLETE}, {@code FAILED}: the previous copy is served, or
	 * {@code SYNCING}) and why the last one failed.
	 */
	public record Summary(int total, int spotifyTotal, int unavailable, int removed, int duplicates,
			@Nullable Instant syncedAt, @Nullable Instant checkedAt, String syncState, @Nullable String staleReason) {
	}

}
