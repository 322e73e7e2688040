package dev.savedtracks.library.answer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.savedtracks.library.Track;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, and fields quoted (quotes doubled) whenever
 * they hold a comma, quote, CR or LF. Columns follow {@link Track}'s fields, the artists'
 * and album's parts side by side; several artists share one field, joined with "; ". A
 * cell that a spreadsheet would run as a formula (it starts with {@code =}, {@code +},
 * {@code -}, {@code @}, tab or CR: titles of local files are whatever their owner typed)
 * is prefixed with an apostrophe, as OWASP advises.
 */
@Component
public class CsvTracks implements SavedTracksFormat {

	public static final String HEADER = "id,name,uri,addedAt,durationMs,explicit,isrc,artists,artistIds,album,albumId,"
			+ "albumReleaseDate,albumImageUrl,local";

	static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private final JsonMapper json;

	CsvTracks(JsonMapper json) {
		this.json = json;
	}

	@Override
	public String name() {
		return "csv";
	}

	@Override
	public MediaType mediaType() {
		return TEXT_CSV;
	}

	@Override
	public void write(OpenLibrary library, Rows rows, OutputStream out) throws IOException {
		Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
		writer.write(HEADER);
		writer.write("\r\n");
		try {
			rows.each(chunk -> {
				for (String row : chunk) {
					row(writer, this.json.readValue(row, Track.class));
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
		writer.flush();
	}

	static void row(Writer out, Track track) throws IOException {
		Track.AlbumRef album = track.album();
		List<@Nullable String> fields = Arrays.asList(track.id(), track.name(), track.uri(), track.addedAt(),
				text(track.durationMs()), text(track.explicit()), track.isrc(),
				join(track.artists().stream().map(Track.ArtistRef::name).toList()),
				join(track.artists().stream().map(Track.ArtistRef::id).toList()), (album != null) ? album.name() : null,
				(album != null) ? album.id() : null, (album != null) ? album.releaseDate() : null,
				(album != null) ? album.imageUrl() : null, Boolean.toString(track.local()));
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.write(escape(fields.get(i)));
		}
		out.write("\r\n");
	}

	static String escape(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		String field = isFormula(value) ? "'" + value : value;
		if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0
				&& field.indexOf('\'') != 0) {
			return field;
		}
		return '"' + field.replace("\"", "\"\"") + '"';
	}

	private static boolean isFormula(String value) {
		char first = value.charAt(0);
		return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
	}

	private static @Nullable String join(List<@Nullable String> values) {
		return values.isEmpty() ? null
				: values.stream().map(v -> Objects.requireNonNullElse(v, "")).collect(Collectors.joining("; "));
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}
