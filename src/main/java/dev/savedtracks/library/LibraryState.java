package dev.savedtracks.library;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/**
 * What is known about a person's cached library: its size, when it was last synced completely, when it was last
 * confirmed against Spotify, and how the last attempt went. Only complete copies are ever stored.
 */
@Entity
@Table(name = "library")
class LibraryState {

	/** How the latest attempt to bring the cache up to date went. */
	enum SyncState {

		/** The cached copy is complete and was confirmed at {@code checkedAt}. */
		COMPLETE,

		/** The last sync failed; the previous complete copy is still served, marked stale. */
		FAILED

	}

	@Id
	@Column(name = "account_id")
	private String accountId;

	@Column(name = "total")
	private int total;

	@Enumerated(EnumType.STRING)
	@Column(name = "sync_state")
	private SyncState syncState;

	@Column(name = "synced_at")
	private @Nullable Instant syncedAt;

	@Column(name = "checked_at")
	private @Nullable Instant checkedAt;

	@Column(name = "last_error")
	private @Nullable String lastError;

	@Column(name = "version")
	private long version;

	/** Which generation of {@code library_track} rows is this library's current copy. */
	@Column(name = "generation")
	private long generation;

	protected LibraryState() {
		this.accountId = "";
		this.syncState = SyncState.COMPLETE;
	}

	LibraryState(String accountId) {
		this.accountId = accountId;
		this.syncState = SyncState.COMPLETE;
	}

	String accountId() {
		return this.accountId;
	}

	int total() {
		return this.total;
	}

	SyncState syncState() {
		return this.syncState;
	}

	@Nullable Instant syncedAt() {
		return this.syncedAt;
	}

	@Nullable Instant checkedAt() {
		return this.checkedAt;
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	long version() {
		return this.version;
	}

	long generation() {
		return this.generation;
	}

	/** A new complete copy was stored. */
	void synced(int total, Instant now) {
		this.total = total;
		this.syncedAt = now;
		this.checkedAt = now;
		this.syncState = SyncState.COMPLETE;
		this.lastError = null;
		this.version++;
	}

	/** A new complete copy was stored as {@code generation}, which readers now see. */
	void switchedTo(long generation, int total, Instant now) {
		this.generation = generation;
		synced(total, now);
	}

	void failed(String reason) {
		this.syncState = SyncState.FAILED;
		this.lastError = (reason.length() > 255) ? reason.substring(0, 255) : reason;
	}

}
