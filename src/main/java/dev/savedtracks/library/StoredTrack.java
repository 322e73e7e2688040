package dev.savedtracks.library;

import org.jspecify.annotations.Nullable;

/** A cached track row: its identity in the library, when it was saved, and its API representation as JSON. */
record StoredTrack(String key, @Nullable String addedAt, String json) {

	/** Whether this row and a page item are the same saved item (same track, saved at the same time). */
	boolean sameItem(StoredTrack other) {
		return this.key.equals(other.key) && java.util.Objects.equals(this.addedAt, other.addedAt);
	}

}
