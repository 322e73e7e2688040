package dev.savedtracks.emulator;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An artist credited on a track or album; local files have artists without a Spotify id.
 */
public record Artist(@Nullable String id, String name) {

	public Artist {
		Objects.requireNonNull(name, "name");
	}

	/** An artist whose id is derived from its name, so equal names always share an id. */
	public static Artist named(String name) {
		return new Artist(Ids.base62("artist:" + name), name);
	}

}
