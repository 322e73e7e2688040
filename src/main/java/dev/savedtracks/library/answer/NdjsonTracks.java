package dev.savedtracks.library.answer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** NDJSON: one track's JSON per line, streamed. */
@Component
public class NdjsonTracks implements SavedTracksFormat {

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	@Override
	public String name() {
		return "ndjson";
	}

	@Override
	public MediaType mediaType() {
		return NDJSON;
	}

	@Override
	public void write(OpenLibrary library, Rows rows, OutputStream out) throws IOException {
		Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
		try {
			rows.each(chunk -> {
				for (String row : chunk) {
					writer.write(row);
					writer.write('\n');
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

}
