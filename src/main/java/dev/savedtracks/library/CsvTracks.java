package dev.savedtracks.library;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Writes tracks as RFC 4180 CSV: a header row, CRLF line ends, and fields quoted (quotes doubled) whenever they hold
 * a comma, quote, CR or LF. Several artists share one field, joined with "; ".
 */
final class CsvTracks {

	static final String HEADER = "id,name,artists,album,addedAt,durationMs,explicit,isrc,uri,artistIds,albumId,"
			+ "albumReleaseDate,albumImageUrl";

	private CsvTracks() {
	}

	static void header(Writer out) throws IOException {
		out.write(HEADER);
		out.write("\r\n");
	}

	static void row(Writer out, Track track) throws IOException {
		Track.AlbumRef album = track.album();
		List<@Nullable String> fields = java.util.Arrays.asList(track.id(), track.name(),
				join(track.artists().stream().map(Track.ArtistRef::name).toList()),
				(album != null) ? album.name() : null, track.addedAt(), text(track.durationMs()),
				text(track.explicit()), track.isrc(), track.uri(),
				join(track.artists().stream().map(Track.ArtistRef::id).toList()), (album != null) ? album.id() : null,
				(album != null) ? album.releaseDate() : null, (album != null) ? album.imageUrl() : null);
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.write(escape(fields.get(i)));
		}
		out.write("\r\n");
	}

	static String escape(@Nullable String field) {
		if (field == null) {
			return "";
		}
		if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
			return field;
		}
		return '"' + field.replace("\"", "\"\"") + '"';
	}

	private static @Nullable String join(List<@Nullable String> values) {
		return values.isEmpty() ? null : values.stream().map(v -> Objects.requireNonNullElse(v, ""))
			.collect(Collectors.joining("; "));
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}
