package dev.savedtracks.library.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.StaleReason;

/**
 * A complete new copy, written as {@code generation}, ready to be switched to.
 *
 * @param topSeq the seq of its most recent save
 * @param total the rows written (tracks served)
 * @param spotifyTotal Spotify's count
 * @param digest a digest of the listing the copy was read from
 * @param staleReason {@code null}, or {@link StaleReason#LIBRARY_CHANGING} for a copy
 * kept although Spotify's answers disagreed, because no better one existed
 * @param checkedAt when Spotify was asked for the first page the copy was read from: the
 * copy is what Spotify held at that time or later, so its freshness starts there, not
 * when a slow sync ends
 */
public record NewCopy(long generation, int topSeq, int total, int spotifyTotal, int removed, int duplicates,
		String digest, @Nullable StaleReason staleReason, Instant checkedAt) {
}
