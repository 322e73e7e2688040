package dev.savedtracks.library;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * One saved track as this service returns it, in every format (JSON, CSV, NDJSON, MCP
 * tools), with its fields in one order everywhere. Any field Spotify leaves out is
 * {@code null} here, never an error. A local file (a track the person added from their
 * own disk) has no id; it keeps its name, URI, artist names and duration.
 */
@JsonPropertyOrder({ "id", "name", "uri", "addedAt", "durationMs", "explicit", "isrc", "artists", "album", "local" })
public record Track(@Nullable String id, @Nullable String name, @Nullable String uri, @Nullable String addedAt,
		@Nullable Integer durationMs, @Nullable Boolean explicit, @Nullable String isrc, List<ArtistRef> artists,
		@Nullable AlbumRef album, boolean local) {

	/** An artist of the track. */
	public record ArtistRef(@Nullable String id, @Nullable String name) {
	}

	/** The album the track belongs to. */
	public record AlbumRef(@Nullable String id, @Nullable String name, @Nullable String releaseDate,
			@Nullable String imageUrl) {
	}

}
