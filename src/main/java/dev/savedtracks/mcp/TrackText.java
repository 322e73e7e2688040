package dev.savedtracks.mcp;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Track;

/**
 * Tracks as text: one line each for a model to read (title, artists, album, when saved,
 * length, URI), every name kept on one line.
 */
final class TrackText {

	/**
	 * What a line shows when the caller did not choose fields: enough to tell tracks
	 * apart and to use them.
	 */
	static final Set<String> LINE_FIELDS = Set.of("name", "artists", "album", "addedAt", "durationMs", "explicit",
			"uri");

	/**
	 * Line and paragraph breaks, and every other control character: what could end a line
	 * in an agent's context, or hide text, if a name carried it.
	 */
	private static final Pattern LINE_BREAKING = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\u0085]+");

	private TrackText() {
	}

	/**
	 * {@code text} on one line: names are untrusted metadata (anyone can upload a track),
	 * and a name with a newline could forge a line of a tool's answer in the agent's
	 * context, such as an instruction. Breaks and control characters become one space.
	 */
	static String oneLine(@Nullable String text) {
		if (text == null) {
			return "";
		}
		return LINE_BREAKING.matcher(text).replaceAll(" ");
	}

	/**
	 * {@code 12. Title — Artist, Artist · Album (2019) · saved 2024-01-15 · 3:35 · spotify:track:…},
	 * with only the {@code fields} given.
	 */
	static String line(int number, Track track, Set<String> fields) {
		StringBuilder line = new StringBuilder(160).append(number).append('.');
		if (fields.contains("name")) {
			line.append(' ').append(name(track));
		}
		if (fields.contains("artists") && !track.artists().isEmpty()) {
			line.append(" — ").append(artistNames(track));
		}
		Track.AlbumRef album = track.album();
		if (fields.contains("album") && album != null && album.name() != null) {
			line.append(" · ").append(oneLine(album.name()));
			if (album.releaseDate() != null && album.releaseDate().length() >= 4) {
				line.append(" (").append(oneLine(album.releaseDate().substring(0, 4))).append(')');
			}
		}
		if (fields.contains("addedAt") && track.addedAt() != null) {
			line.append(" · saved ")
				.append(oneLine(track.addedAt().substring(0, Math.min(10, track.addedAt().length()))));
		}
		if (fields.contains("durationMs") && track.durationMs() != null) {
			int seconds = track.durationMs() / 1000;
			line.append(" · ").append(String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60));
		}
		if (fields.contains("explicit") && Boolean.TRUE.equals(track.explicit())) {
			line.append(" · explicit");
		}
		if (fields.contains("isrc") && track.isrc() != null) {
			line.append(" · ISRC ").append(oneLine(track.isrc()));
		}
		if (fields.contains("id") && track.id() != null) {
			line.append(" · id ").append(oneLine(track.id()));
		}
		if (fields.contains("uri") && track.uri() != null) {
			line.append(" · ").append(oneLine(track.uri()));
		}
		return line.toString();
	}

	/** {@code Title — Artist}: how a single track is named in a sentence. */
	static String title(Track track) {
		String name = name(track);
		return track.artists().isEmpty() ? name : name + " — " + artistNames(track);
	}

	private static String name(Track track) {
		return (track.name() != null) ? oneLine(track.name()) : "(untitled)";
	}

	private static String artistNames(Track track) {
		return track.artists()
			.stream()
			.map(Track.ArtistRef::name)
			.filter(Objects::nonNull)
			.map(TrackText::oneLine)
			.collect(Collectors.joining(", "));
	}

}
