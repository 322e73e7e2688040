package dev.savedtracks.library;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every change to a cached library happens here. A reader sees either the previous complete copy or the new one:
 * a full sync writes a new generation of rows page by page, which no reader looks at, and then switches the library
 * to it in one small transaction that first counts its rows; a sync interrupted half-way (crash, database error)
 * leaves the old copy, and the rows it wrote are deleted when the next sync starts if not before.
 */
@Component
class LibraryWriter {

	private final LibraryStateRepository states;

	private final LibraryTrackStore tracks;

	private final JdbcClient jdbc;

	private final Clock clock;

	LibraryWriter(LibraryStateRepository states, LibraryTrackStore tracks, JdbcClient jdbc, Clock clock) {
		this.states = states;
		this.tracks = tracks;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Starts a new generation for a full sync: deletes whatever an earlier, interrupted sync left behind, and returns
	 * a generation number no row of this library has.
	 */
	@Transactional
	long startGeneration(String accountId) {
		long current = this.states.findById(accountId).map(LibraryState::generation).orElse(-1L);
		this.tracks.deleteAllBut(accountId, current);
		return current + 1;
	}

	/** Stores one page of a new generation, in its own transaction. */
	@Transactional
	void writePage(String accountId, long generation, int firstSeq, List<StoredTrack> page) {
		this.tracks.insert(accountId, generation, firstSeq, page);
	}

	/**
	 * Makes {@code generation} the library's current copy, if it holds exactly {@code total} rows.
	 * @return whether it was switched to
	 */
	@Transactional
	boolean switchTo(String accountId, long generation, int total) {
		if (this.tracks.count(accountId, generation) != total) {
			return false;
		}
		LibraryState state = this.states.findById(accountId).orElseGet(() -> new LibraryState(accountId));
		state.switchedTo(generation, total, now());
		this.states.save(state);
		return true;
	}

	/** Deletes the rows of every generation but {@code current}: the previous copy, once no longer served. */
	@Transactional
	void dropAllBut(String accountId, long current) {
		this.tracks.deleteAllBut(accountId, current);
	}

	/** Deletes a generation that will never be switched to. */
	@Transactional
	void discard(String accountId, long generation) {
		this.tracks.deleteGeneration(accountId, generation);
	}

	@Transactional
	void addOnTop(String accountId, List<StoredTrack> added, int newTotal) {
		LibraryState state = this.states.findById(accountId).orElseThrow();
		this.tracks.insertOnTop(accountId, state.generation(), added);
		state.synced(newTotal, now());
		this.states.save(state);
	}

	/**
	 * Spotify confirmed the cached copy: one statement, because every revalidation ends here and its time is added to
	 * the caller's round trip.
	 */
	void confirm(String accountId) {
		this.jdbc.sql("update library set checked_at = ?, sync_state = ?, last_error = null where account_id = ?")
			.params(Timestamp.from(now()), LibraryState.SyncState.COMPLETE.name(), accountId)
			.update();
	}

	@Transactional
	void recordFailure(String accountId, String reason) {
		this.states.findById(accountId).ifPresent(state -> state.failed(reason));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
