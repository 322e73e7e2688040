package dev.savedtracks.library.store;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Track;

/**
 * A saved track as the cache stores it: its identity in the library, when it was saved,
 * and its {@link Track} as JSON, served verbatim.
 */
public record TrackRow(String key, @Nullable String addedAt, String json) {

	/**
	 * Whether this row and another are the same saved item (same track, saved at the same
	 * time).
	 */
	public boolean sameItem(TrackRow other) {
		return this.key.equals(other.key) && Objects.equals(this.addedAt, other.addedAt);
	}

}
