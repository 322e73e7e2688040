package dev.savedtracks.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One saved track and when it was saved; only a local file ({@code local}) or a
 * null-track item may lack an id.
 *
 * @param unavailable not playable in the user's market: it counts in {@code total} and
 * holds its position, but pages leave it out of their {@code items}, as Spotify does
 * @param trackMissing removed content: rendered as {@code {"added_at": "...", "track":
 * null}}, in {@code items} and counted in {@code total}; every other component except
 * {@code addedAt} is then meaningless
 */
public record SavedTrack(Instant addedAt, @Nullable String id, String name, @Nullable String isrc, int durationMs,
		boolean explicit, List<Artist> artists, @Nullable Album album, boolean local, boolean unavailable,
		boolean trackMissing) {

	public SavedTrack {
		Objects.requireNonNull(addedAt, "addedAt");
		Objects.requireNonNull(name, "name");
		// Spotify reports added_at with second precision, so keeping more would make
		// round-trip comparisons flaky.
		addedAt = addedAt.truncatedTo(ChronoUnit.SECONDS);
		artists = List.copyOf(artists);
		if (id == null && !local && !trackMissing) {
			throw new IllegalArgumentException("only local tracks and null-track items may lack an id");
		}
		if (durationMs < 0) {
			throw new IllegalArgumentException("durationMs must not be negative");
		}
	}

	/**
	 * An available, present track, as before unavailable and null-track items existed.
	 */
	public SavedTrack(Instant addedAt, @Nullable String id, String name, @Nullable String isrc, int durationMs,
			boolean explicit, List<Artist> artists, @Nullable Album album, boolean local) {
		this(addedAt, id, name, isrc, durationMs, explicit, artists, album, local, false, false);
	}

	/**
	 * A catalog track with the given id, name and single artist, and plausible other
	 * fields derived from the id; the name and artist are used verbatim, so they may hold
	 * commas, quotes, newlines or any Unicode.
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

	/**
	 * A local file added to the library: no id, no ISRC, artist and album without ids.
	 */
	public static SavedTrack local(String name, String artistName, String albumName, int durationMs) {
		return new SavedTrack(Instant.now(), null, name, null, durationMs, false, List.of(new Artist(null, artistName)),
				new Album(null, albumName, null, null), true);
	}

	/**
	 * An item whose content was removed from Spotify: rendered with
	 * {@code "track": null}.
	 */
	public static SavedTrack nullTrack(Instant addedAt) {
		return new SavedTrack(addedAt, null, "", null, 0, false, List.of(), null, false, false, true);
	}

	/**
	 * Whether a client should serve this item: neither unavailable in the market nor a
	 * null track.
	 */
	public boolean visible() {
		return !this.unavailable && !this.trackMissing;
	}

	public SavedTrack withAddedAt(Instant addedAt) {
		return new SavedTrack(addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, this.artists,
				this.album, this.local, this.unavailable, this.trackMissing);
	}

	public SavedTrack withIsrc(@Nullable String isrc) {
		return new SavedTrack(this.addedAt, this.id, this.name, isrc, this.durationMs, this.explicit, this.artists,
				this.album, this.local, this.unavailable, this.trackMissing);
	}

	public SavedTrack withAlbum(@Nullable Album album) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, this.artists,
				album, this.local, this.unavailable, this.trackMissing);
	}

	public SavedTrack withArtists(List<Artist> artists) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, artists,
				this.album, this.local, this.unavailable, this.trackMissing);
	}

	public SavedTrack withExplicit(boolean explicit) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, explicit, this.artists,
				this.album, this.local, this.unavailable, this.trackMissing);
	}

	public SavedTrack withDurationMs(int durationMs) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, durationMs, this.explicit, this.artists,
				this.album, this.local, this.unavailable, this.trackMissing);
	}

	/**
	 * This track unavailable in the user's market (left out of pages) or available again.
	 */
	public SavedTrack withUnavailable(boolean unavailable) {
		return new SavedTrack(this.addedAt, this.id, this.name, this.isrc, this.durationMs, this.explicit, this.artists,
				this.album, this.local, unavailable, this.trackMissing);
	}

}
