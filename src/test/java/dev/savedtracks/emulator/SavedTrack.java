package dev.savedtracks.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/** One saved track and when it was saved; only a local file ({@code local}) may lack an id. */
public record SavedTrack(Instant addedAt, @Nullable String id, String name, @Nullable String isrc, int durationMs,
		boolean explicit, List<Artist> artists, @Nullable Album album, boolean local) {

	public SavedTrack {
		Objects.requireNonNull(addedAt, "addedAt");
		Objects.requireNonNull(name, "name");
		// Spotify reports added_at with second precision, so keeping more would make round-trip comparisons flaky.
		addedAt = addedAt.truncatedTo(ChronoUnit.SECONDS);
		artists = List.copyOf(artists);
		if (id == null && !local) {
			throw new IllegalArgumentException("only local tracks may lack an id");
		}
		if (durationMs < 0) {
			throw new IllegalArgumentException("durationMs must not be negative");
		}
	}

	/**
	 * A catalog track with the given id, name and single artist, and plausible other fields derived from the id; the
	 * name and artist are used verbatim, so they may hold commas, quotes, newlines or any Unicode.
	 */
	public static SavedTrack of(String id, String name, String artistName) {
		Objects.requireNonNull(id, "id");
		String isrc = String.format(Locale.ROOT, "QZ%s26%05d", Ids.hex("isrc:" + id, 3).toUpperCase(Locale.ROOT),
				Math.floorMod(Ids.seed("isrc-number:" + id), 100_000));
		Album album = new Album(Ids.base62("album-of:" + id), name + " (Single)", "2024-01-15",
				"https://i.scdn.co/image/" + Ids.hex("image-of:" + id, 40));
		return new SavedTrack(Instant.now(), id, name, isrc, 180_000, false, List.of(Artist.named(artistName)), album,
				false);
	}

	/** A local file added to the library: no id, no ISRC, artist and album without ids. */
	public static SavedTrack local(String name, String artistName, String albumName, int durationMs) {
		return new SavedTrack(Instant.now(), null, name, null, durationMs, false, List.of(new Artist(null, artistName)),
				new Album(null, albumName, null, null), true);
	}

	public SavedTrack withAddedAt(Instant addedAt) {
		return new SavedTrack(addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, this.artists,
				this.album, this.local);
	}

	public SavedTrack withIsrc(@Nullable String isrc) {
		return new SavedTrack(this.addedAt, this.id, this.name, isrc, this.durationMs, this.explicit, this.artists,
				this.album, this.local);
	}

	public SavedTrack withAlbum(@Nullable Album album) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, this.artists,
				album, this.local);
	}

	public SavedTrack withArtists(List<Artist> artists) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, artists,
				this.album, this.local);
	}

	public SavedTrack withExplicit(boolean explicit) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, explicit, this.artists,
				this.album, this.local);
	}

	public SavedTrack withDurationMs(int durationMs) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, durationMs, this.explicit, this.artists,
				this.album, this.local);
	}

}
