package dev.savedtracks.library;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.system.Sha256;

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

	/**
	 * The longest key stored as it is; longer ones (local files with long names) are
	 * hashed to fit the column.
	 */
	static final int MAX_KEY_LENGTH = 255;

	/** An artist of the track. */
	public record ArtistRef(@Nullable String id, @Nullable String name) {
	}

	/** The album the track belongs to. */
	public record AlbumRef(@Nullable String id, @Nullable String name, @Nullable String releaseDate,
			@Nullable String imageUrl) {
	}

	/**
	 * The track of a saved item, or {@code null} for an item whose track Spotify sent as
	 * {@code null}.
	 */
	public static @Nullable Track from(SavedTracksPage.Item item) {
		SavedTracksPage.Track track = item.track();
		if (track == null) {
			return null;
		}
		List<ArtistRef> artists = (track.artists() != null)
				? track.artists().stream().filter(Objects::nonNull).map(a -> new ArtistRef(a.id(), a.name())).toList()
				: List.of();
		SavedTracksPage.Album album = track.album();
		AlbumRef albumRef = (album != null)
				? new AlbumRef(album.id(), album.name(), album.releaseDate(), firstImage(album)) : null;
		String isrc = (track.externalIds() != null) ? track.externalIds().isrc() : null;
		boolean local = Boolean.TRUE.equals(track.local());
		return new Track(local ? null : track.id(), track.name(), track.uri(), normalisedInstant(item.addedAt()),
				track.durationMs(), track.explicit(), isrc, artists, albumRef, local);
	}

	/**
	 * What identifies this saved item in a library: the track id, or for local files
	 * (which have none) a hash of their URI and save time, which fits the key column
	 * however long the file's names are.
	 */
	public String key() {
		if (this.id != null && this.id.length() <= MAX_KEY_LENGTH) {
			return this.id;
		}
		return "local:" + Sha256.base64Url(this.uri + "@" + this.addedAt);
	}

	private static @Nullable String firstImage(SavedTracksPage.Album album) {
		if (album.images() == null) {
			return null;
		}
		return album.images()
			.stream()
			.filter(Objects::nonNull)
			.map(SavedTracksPage.Image::url)
			.filter(Objects::nonNull)
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
