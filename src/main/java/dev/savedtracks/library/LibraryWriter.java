package dev.savedtracks.library;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every change to a cached library happens here, each in one transaction: a reader sees either the previous
 * complete copy or the new one, and a sync interrupted half-way (crash, database error) leaves the old copy.
 */
@Component
class LibraryWriter {

	private final LibraryStateRepository states;

	private final LibraryTrackStore tracks;

	private final Clock clock;

	LibraryWriter(LibraryStateRepository states, LibraryTrackStore tracks, Clock clock) {
		this.states = states;
		this.tracks = tracks;
		this.clock = clock;
	}

	@Transactional
	void replace(String accountId, List<StoredTrack> library) {
		LibraryState state = this.states.findById(accountId).orElseGet(() -> new LibraryState(accountId));
		this.tracks.deleteAll(accountId);
		this.tracks.insertOnTop(accountId, library);
		state.synced(library.size(), now());
		this.states.save(state);
	}

	@Transactional
	void addOnTop(String accountId, List<StoredTrack> added, int newTotal) {
		LibraryState state = this.states.findById(accountId).orElseThrow();
		this.tracks.insertOnTop(accountId, added);
		state.synced(newTotal, now());
		this.states.save(state);
	}

	@Transactional
	void confirm(String accountId) {
		this.states.findById(accountId).ifPresent(state -> state.confirmed(now()));
	}

	@Transactional
	void recordFailure(String accountId, String reason) {
		this.states.findById(accountId).ifPresent(state -> state.failed(reason));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
