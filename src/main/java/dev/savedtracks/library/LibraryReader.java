package dev.savedtracks.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.SavedTracksResponse.CachedTrack;

/** Reads the cached library: its metadata, a window of it, or a stream of it, each from one consistent snapshot. */
@Component
class LibraryReader {

	private final LibraryStateRepository states;

	private final LibraryTrackStore tracks;

	private final TransactionTemplate snapshot;

	private final AccountDirectory accounts;

	LibraryReader(LibraryStateRepository states, LibraryTrackStore tracks, AccountDirectory accounts,
			PlatformTransactionManager transactions) {
		this.states = states;
		this.accounts = accounts;
		this.tracks = tracks;
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setReadOnly(true);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	/**
	 * What a request needs to decide how to answer, in one read-only transaction: the cached library's head, if any,
	 * and whether Spotify needs this person to sign in again.
	 */
	@Transactional(readOnly = true)
	Snapshot snapshot(String accountId) {
		boolean reauthorization = this.accounts.needsReauthorization(accountId);
		return new Snapshot(this.states.findById(accountId).map(Head::of).orElse(null), reauthorization);
	}

	@Transactional(readOnly = true)
	Optional<Head> head(String accountId) {
		return this.states.findById(accountId).map(Head::of);
	}

	// Repeatable read: a sync committing between the two queries must not pair the old total with new rows.
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	Window read(String accountId, LibraryWindow window) {
		LibraryState state = this.states.findById(accountId)
			.orElseThrow(() -> new IllegalStateException("no cached library for " + accountId));
		int limit = limit(state, window);
		List<CachedTrack> items = (limit > 0)
				? this.tracks.window(accountId, window.offset(), limit).stream().map(CachedTrack::new).toList()
				: List.of();
		return new Window(Head.of(state),
				new SavedTracksResponse(state.total(), window.offset(), state.syncedAt(), items));
	}

	/** Hands each track's cached JSON of the window to {@code sink}, one row at a time, never the whole library. */
	void stream(String accountId, LibraryWindow window, TrackSink sink) {
		this.snapshot.executeWithoutResult(status -> {
			LibraryState state = this.states.findById(accountId).orElse(null);
			int limit = (state != null) ? limit(state, window) : 0;
			if (limit > 0) {
				this.tracks.stream(accountId, window.offset(), limit, json -> {
					try {
						sink.accept(json);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
			}
		});
	}

	private static int limit(LibraryState state, LibraryWindow window) {
		return Math.min(window.limit(), Math.max(0, state.total() - window.offset()));
	}

	/** What identifies a version of a cached library, for ETag and Last-Modified. */
	record Head(int total, @Nullable Instant syncedAt, long version, LibraryState.SyncState state,
			@Nullable Instant checkedAt) {

		static Head of(LibraryState state) {
			return new Head(state.total(), state.syncedAt(), state.version(), state.syncState(), state.checkedAt());
		}

	}

	/** The head of the cached library (null when nothing is cached) and the person's sign-in state. */
	record Snapshot(@Nullable Head head, boolean reauthorizationRequired) {
	}

	/** A window of the library and the version it was read from. */
	record Window(Head head, SavedTracksResponse body) {
	}

	/** Receives cached track JSON, one track at a time. */
	@FunctionalInterface
	interface TrackSink {

		void accept(String json) throws IOException;

	}

}
