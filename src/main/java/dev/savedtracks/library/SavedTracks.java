package dev.savedtracks.library;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * What other features (the MCP tools) may read of a person's library: exactly what
 * {@code GET /api/saved-tracks} serves, from the same cache, revalidated or synced first
 * under the same rules, so a warm read costs Spotify nothing.
 */
public interface SavedTracks {

	/**
	 * A window of the library, most recently saved first.
	 * @throws dev.savedtracks.account.ReauthorizationRequired when the person must sign
	 * in again
	 * @throws RuntimeException a problem-carrying failure (Spotify unavailable, rate
	 * limited...) when nothing is cached
	 */
	Window window(String accountId, int offset, int limit);

	/**
	 * Hands every track of the library to {@code visitor}, most recently saved first, all
	 * from one version of the cached copy, without holding the whole library in memory.
	 * @return the version the tracks belong to
	 */
	Summary each(String accountId, Consumer<Track> visitor);

	/**
	 * Writes the whole library to {@code out} as the same CSV as
	 * {@code GET /api/saved-tracks} with {@code Accept: text/csv}, from one version of
	 * the cached copy.
	 * @return the version written
	 */
	Summary csv(String accountId, OutputStream out) throws IOException;

	/**
	 * A library as served: {@code total} tracks, Spotify's own count (which also counts
	 * tracks unavailable in the person's market), when it was last synced, and why it
	 * could not be confirmed just now ({@code null}: fresh).
	 */
	record Summary(int total, int spotifyTotal, @Nullable Instant syncedAt, @Nullable StaleReason stale) {
	}

	/** A window of a library. */
	record Window(Summary library, int offset, List<Track> items) {
	}

}
