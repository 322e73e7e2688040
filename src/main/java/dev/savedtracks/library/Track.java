package dev.savedtracks.library;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.spotify.SavedTracksPage;

/**
 * One saved track as this service returns it, in every format (JSON, CSV, NDJSON, MCP tools). Any field Spotify
 * leaves out is {@code null} here, never an error.
 */
public record Track(@Nullable String id, @Nullable String name, @Nullable String uri, @Nullable String addedAt,
		@Nullable Integer durationMs, @Nullable Boolean explicit, @Nullable String isrc, List<ArtistRef> artists,
		@Nullable AlbumRef album) {

	/** An artist of the track. */
	public record ArtistRef(@Nullable String id, @Nullable String name) {
	}

	/** The album the track belongs to. */
	public record AlbumRef(@Nullable String id, @Nullable String name, @Nullable String releaseDate,
			@Nullable String imageUrl) {
	}

	static Track from(SavedTracksPage.Item item) {
		SavedTracksPage.Track track = item.track();
		String addedAt = normalisedInstant(item.addedAt());
		if (track == null) {
			return new Track(null, null, null, addedAt, null, null, null, List.of(), null);
		}
		List<ArtistRef> artists = (track.artists() != null) ? track.artists()
			.stream()
			.filter(Objects::nonNull)
			.map(a -> new ArtistRef(a.id(), a.name()))
			.toList() : List.of();
		SavedTracksPage.Album album = track.album();
		AlbumRef albumRef = (album != null)
				? new AlbumRef(album.id(), album.name(), album.releaseDate(), firstImage(album)) : null;
		String isrc = (track.externalIds() != null) ? track.externalIds().isrc() : null;
		return new Track(track.id(), track.name(), track.uri(), addedAt, track.durationMs(), track.explicit(), isrc,
				artists, albumRef);
	}

	/**
	 * What identifies this saved item in a library: the track id, or for local files (which have none) the URI
	 * and save time.
	 */
	String key() {
		if (this.id != null) {
			return this.id;
		}
		return "local:" + this.uri + "@" + this.addedAt;
	}

	private static @Nullable String firstImage(SavedTracksPage.Album album) {
		if (album.images() == null) {
			return null;
		}
		return album.images().stream().filter(Objects::nonNull).map(SavedTracksPage.Image::url).filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static @Nullable String normalisedInstant(@Nullable String text) {
		if (text == null) {
			return null;
		}
		try {
			return Instant.parse(text).toString();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
