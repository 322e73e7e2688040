package dev.savedtracks.library.web;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Track;
import dev.savedtracks.library.answer.JsonTracks;

/**
 * A window of a person's library as JSON, field by field in the order {@link JsonTracks}
 * writes it (the order is tested). Spotify's count may exceed the tracks served: it also
 * counts tracks it does not list (without saying why), items it sends without a track,
 * and tracks it lists twice, which are all left out.
 */
record SavedTracksResponse(
		@Schema(description = "Tracks in the library as served (all of them, whatever the window)") int total,
		@Schema(description = "Spotify's own count, which also counts the tracks omitted") int spotifyTotal,
		Omitted omitted, int offset, @Nullable Instant syncedAt, List<Track> items) {

	/** What Spotify counts but the library does not serve, and why. */
	record Omitted(@Schema(
			description = "Counted by Spotify but not listed on any page; Spotify does not say why") int unlisted,
			@Schema(description = "Listed by Spotify without a track (removed content)") int removed,
			@Schema(description = "Listed by Spotify more than once (kept once)") int duplicates) {
	}

}
