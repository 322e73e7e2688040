package dev.savedtracks.library.answer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
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

	/** The columns, derived from {@link Track}'s fields in their one order. */
	private static final List<Column> COLUMNS = columns();

	public static final String HEADER = COLUMNS.stream().map(Column::name).collect(Collectors.joining(","));

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
		for (int i = 0; i < COLUMNS.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.write(escape(COLUMNS.get(i).value().apply(track)));
		}
		out.write("\r\n");
	}

	/**
	 * One column per field of {@link Track}, in its order, except that the artists give
	 * two (names, ids) and the album one per part (its name first, then
	 * {@code album<Part>}), the album's artists two as well.
	 */
	private static List<Column> columns() {
		List<Column> columns = new ArrayList<>();
		for (RecordComponent component : Track.class.getRecordComponents()) {
			switch (component.getName()) {
				case "artists" -> artistColumns(columns, "artist", Track::artists);
				case "album" -> {
					columns.add(new Column("album", track -> (track.album() != null) ? track.album().name() : null));
					for (RecordComponent part : Track.AlbumRef.class.getRecordComponents()) {
						String name = "album" + Character.toUpperCase(part.getName().charAt(0))
								+ part.getName().substring(1);
						switch (part.getName()) {
							case "name" -> {
							}
							case "artists" -> artistColumns(columns, "albumArtist",
									track -> (track.album() != null) ? track.album().artists() : null);
							default -> columns.add(new Column(name,
									track -> (track.album() != null) ? text(value(part, track.album())) : null));
						}
					}
				}
				default -> columns.add(new Column(component.getName(), track -> text(value(component, track))));
			}
		}
		return List.copyOf(columns);
	}

	private static void artistColumns(List<Column> columns, String prefix,
			Function<Track, @Nullable List<Track.ArtistRef>> artists) {
		columns.add(new Column(prefix + "s", track -> {
			List<Track.ArtistRef> list = artists.apply(track);
			return (list != null) ? join(list.stream().map(Track.ArtistRef::name).toList()) : null;
		}));
		columns.add(new Column(prefix + "Ids", track -> {
			List<Track.ArtistRef> list = artists.apply(track);
			return (list != null) ? join(list.stream().map(Track.ArtistRef::id).toList()) : null;
		}));
	}

	private static @Nullable Object value(RecordComponent component, Object record) {
		try {
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A CSV column: its header and its cell for a track. */
	private record Column(String name, Function<Track, @Nullable String> value) {
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
