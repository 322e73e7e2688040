package dev.savedtracks.library.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.StaleReason;

/**
 * The head of a person's cached library (its {@code library} row): which copy readers see
 * and what it holds, and how the latest attempt to bring it up to date went. A copy is
 * immutable: it is the rows of {@code generation} up to {@code topSeq} (tracks added on
 * top later get higher seqs), so a reader that holds a head reads exactly that copy,
 * however long it takes.
 *
 * @param total the tracks served
 * @param spotifyTotal Spotify's own count, which also counts items it does not list (for
 * reasons it does not give) or sends without a track
 * @param removed items Spotify sent with {@code "track": null}, left out
 * @param duplicates items Spotify sent twice, kept once
 * @param version moved by every change of the copy's content
 * @param epoch random, chosen when the library row was created: versions restart after a
 * deletion, epochs do not
 * @param syncedAt when the copy's content was last stored (a new copy switched to, or
 * tracks added on top): {@code Last-Modified} and part of the version, so it moves with
 * every change the store sees
 * @param checkedAt when Spotify last confirmed the copy (the freshness period starts
 * here): the instant the sync that confirmed it asked Spotify for its first page, not
 * when it finished writing, since Spotify vouched for what it listed then; a slow sync
 * would otherwise make the copy look fresher than it is
 * @param fullSyncedAt when the copy was last fully reconciled with Spotify, dated like
 * {@code checkedAt}
 * @param staleReason why the latest attempt to confirm the copy failed; {@code null} when
 * it succeeded
 * @param failures consecutive failed attempts, for backing off
 * @param retryAt no new attempt before this time (after failures)
 * @param contentDigest a digest of the copy's items as Spotify listed them in the last
 * full sync
 */
public record Head(int total, int spotifyTotal, int removed, int duplicates, long version, long epoch, long generation,
		int topSeq, @Nullable Instant syncedAt, @Nullable Instant checkedAt, @Nullable Instant fullSyncedAt,
		@Nullable StaleReason staleReason, int failures, @Nullable Instant retryAt, @Nullable String contentDigest) {

	/**
	 * Items Spotify counts but did not list on any page. Spotify does not say why (tracks
	 * unavailable in a market are one cause, but without {@code market} the service
	 * cannot tell), so they are named for what they are: unlisted.
	 */
	public int unlisted() {
		return Math.max(0, this.spotifyTotal - this.total - this.removed - this.duplicates);
	}

	/** Whether attempts to sync are backing off at {@code now}. */
	public boolean backingOff(Instant now) {
		return this.retryAt != null && now.isBefore(this.retryAt);
	}

}
