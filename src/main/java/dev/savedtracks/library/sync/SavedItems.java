package dev.savedtracks.library.sync;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Track;
import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.system.Sha256;

/**
 * Spotify's saved items as the library's {@link Track}s, and what identifies each in a
 * library. Any field Spotify leaves out is {@code null}, never an error.
 */
final class SavedItems {

	/**
	 * The longest key stored as it is; longer ones (local files with long names) are
	 * hashed to fit the column.
	 */
	static final int MAX_KEY_LENGTH = 255;

	private SavedItems() {
	}

	/**
	 * The track of a saved item, or {@code null} for an item whose track Spotify sent as
	 * {@code null}.
	 */
	static @Nullable Track track(SavedTracksPage.Item item) {
		SavedTracksPage.Track track = item.track();
		if (track == null) {
			return null;
		}
		List<Track.ArtistRef> artists = artists(track.artists());
		SavedTracksPage.Album album = track.album();
		Track.AlbumRef albumRef = (album != null) ? new Track.AlbumRef(album.id(), album.name(), album.releaseDate(),
				firstImage(album), album.releaseDatePrecision(), album.albumType(), album.totalTracks(),
				(album.artists() != null) ? artists(album.artists()) : null) : null;
		String isrc = (track.externalIds() != null) ? track.externalIds().isrc() : null;
		boolean local = Boolean.TRUE.equals(track.local());
		return new Track(local ? null : track.id(), track.name(), track.uri(), normalisedInstant(item.addedAt()),
				track.durationMs(), track.explicit(), track.discNumber(), track.trackNumber(), isrc, artists, albumRef,
				local);
	}

	private static List<Track.ArtistRef> artists(@Nullable List<SavedTracksPage.Artist> artists) {
		return (artists != null)
				? artists.stream().filter(Objects::nonNull).map(a -> new Track.ArtistRef(a.id(), a.name())).toList()
				: List.of();
	}

	/**
	 * What identifies a saved item in a library: the track id, or for local files (which
	 * have none) a hash of their URI and save time, which fits the key column however
	 * long the file's names are.
	 */
	static String key(Track track) {
		if (track.id() != null && track.id().length() <= MAX_KEY_LENGTH) {
			return track.id();
		}
		return "local:" + Sha256.base64Url(track.uri() + "@" + track.addedAt());
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
