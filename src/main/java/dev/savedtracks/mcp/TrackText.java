package dev.savedtracks.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Track;

/**
 * Tracks as text: one line each for a model to read (title, artists, album, when saved,
 * length, URI), and the same CSV as {@code GET /api/saved-tracks} with
 * {@code Accept: text/csv} for the library resource.
 */
final class TrackText {

	/**
	 * What a line shows when the caller did not choose fields: enough to tell tracks
	 * apart and to use them.
	 */
	static final Set<String> LINE_FIELDS = Set.of("name", "artists", "album", "addedAt", "durationMs", "explicit",
			"uri");

	private TrackText() {
	}

	/**
	 * {@code 12. Title — Artist, Artist · Album (2019) · saved 2024-01-15 · 3:35 · spotify:track:…},
	 * with only the {@code fields} given.
	 */
	static String line(int number, Track track, Set<String> fields) {
		StringBuilder line = new StringBuilder(160).append(number).append('.');
		if (fields.contains("name")) {
			line.append(' ').append(Objects.requireNonNullElse(track.name(), "(untitled)"));
		}
		if (fields.contains("artists") && !track.artists().isEmpty()) {
			line.append(" — ").append(artistNames(track));
		}
		Track.AlbumRef album = track.album();
		if (fields.contains("album") && album != null && album.name() != null) {
			line.append(" · ").append(album.name());
			if (album.releaseDate() != null && album.releaseDate().length() >= 4) {
				line.append(" (").append(album.releaseDate(), 0, 4).append(')');
			}
		}
		if (fields.contains("addedAt") && track.addedAt() != null) {
			line.append(" · saved ").append(track.addedAt(), 0, Math.min(10, track.addedAt().length()));
		}
		if (fields.contains("durationMs") && track.durationMs() != null) {
			int seconds = track.durationMs() / 1000;
			line.append(" · ").append(String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60));
		}
		if (fields.contains("explicit") && Boolean.TRUE.equals(track.explicit())) {
			line.append(" · explicit");
		}
		if (fields.contains("isrc") && track.isrc() != null) {
			line.append(" · ISRC ").append(track.isrc());
		}
		if (fields.contains("id") && track.id() != null) {
			line.append(" · id ").append(track.id());
		}
		if (fields.contains("uri") && track.uri() != null) {
			line.append(" · ").append(track.uri());
		}
		return line.toString();
	}

	/** {@code Title — Artist}: how a single track is named in a sentence. */
	static String title(Track track) {
		String name = Objects.requireNonNullElse(track.name(), "(untitled)");
		return track.artists().isEmpty() ? name : name + " — " + artistNames(track);
	}

	private static String artistNames(Track track) {
		return track.artists()
			.stream()
			.map(Track.ArtistRef::name)
			.filter(Objects::nonNull)
			.collect(Collectors.joining(", "));
	}

	private static @Nullable String join(List<@Nullable String> values) {
		return values.isEmpty() ? null
				: values.stream().map(v -> Objects.requireNonNullElse(v, "")).collect(Collectors.joining("; "));
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}
