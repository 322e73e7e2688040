package dev.savedtracks.library;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/** A person's cached library at a glance, for other features (profile, pages). */
@Service
public class LibrarySummaries {

	private final LibraryReader reader;

	private final SyncSingleFlight syncs;

	LibrarySummaries(LibraryReader reader, SyncSingleFlight syncs) {
		this.reader = reader;
		this.syncs = syncs;
	}

	/** Empty when nothing is cached yet. */
	public Optional<Summary> summary(String accountId) {
		return this.reader.head(accountId)
			.map(head -> new Summary(head.total(), head.syncedAt(), head.checkedAt(),
					this.syncs.isRunning(accountId) ? "SYNCING" : head.state().name()));
	}

	/**
	 * Size of the cached library, when it was last stored complete and last confirmed against Spotify, and the
	 * state of the latest sync: {@code COMPLETE}, {@code FAILED} (the previous copy is served) or {@code SYNCING}.
	 */
	public record Summary(int total, @Nullable Instant syncedAt, @Nullable Instant checkedAt, String syncState) {
	}

}
