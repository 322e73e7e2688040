package dev.savedtracks.library.answer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.savedtracks.library.store.Head;

/**
 * The JSON format: {@code SavedTracksResponse}'s fields in its order, then the tracks'
 * cached JSON copied verbatim, chunk by chunk, never re-encoded. The same code writes
 * answers held in memory and answers streamed, so both are byte for byte the same.
 */
@Component
public class JsonTracks implements SavedTracksFormat {

	private final JsonMapper json;

	public JsonTracks(JsonMapper json) {
		this.json = json;
	}

	@Override
	public String name() {
		return "json";
	}

	@Override
	public MediaType mediaType() {
		return MediaType.APPLICATION_JSON;
	}

	/**
	 * Writes the answer. When reading fails half-way the generator is not closed, so
	 * nothing closes the open array and object: a download cut short stays visibly broken
	 * instead of looking complete with fewer items.
	 */
	@Override
	public void write(OpenLibrary library, Rows rows, OutputStream out) throws IOException {
		Head head = library.head();
		JsonGenerator generator = this.json.createGenerator(out);
		generator.writeStartObject();
		generator.writeNumberProperty("total", head.total());
		generator.writeNumberProperty("spotifyTotal", head.spotifyTotal());
		generator.writeObjectPropertyStart("omitted");
		generator.writeNumberProperty("unlisted", head.unlisted());
		generator.writeNumberProperty("removed", head.removed());
		generator.writeNumberProperty("duplicates", head.duplicates());
		generator.writeEndObject();
		generator.writeNumberProperty("offset", library.window().offset());
		generator.writeName("syncedAt");
		generator.writePOJO(head.syncedAt());
		generator.writeArrayPropertyStart("items");
		try {
			rows.each(chunk -> chunk.forEach(generator::writeRawValue));
		}
		catch (IOException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
		generator.writeEndArray();
		generator.writeEndObject();
		generator.close();
	}

}
