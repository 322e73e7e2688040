package dev.savedtracks.emulator;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The album of a track; {@code releaseDate} is YYYY, YYYY-MM or YYYY-MM-DD, which sets
 * its precision.
 */
public record Album(@Nullable String id, String name, @Nullable String releaseDate, @Nullable String imageUrl) {

	public Album {
		Objects.requireNonNull(name, "name");
	}

	/**
	 * The release_date_precision Spotify reports for this album's release date, or null
	 * without a date.
	 */
	@Nullable String releaseDatePrecision() {
		if (this.releaseDate == null) {
			return null;
		}
		return switch (this.releaseDate.length()) {
			case 4 -> "year";
			case 7 -> "month";
			default -> "day";
		};
	}

}
