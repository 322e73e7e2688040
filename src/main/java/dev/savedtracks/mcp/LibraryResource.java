package dev.savedtracks.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Library;

/**
 * The library resource ({@value #URI}): the CSV itself for a library of up to
 * {@code MCP_RESOURCE_MAX_TRACKS} tracks, built in memory within the caller's turn; for a
 * larger one, a short text with a download link ({@code export_library}'s), so that no
 * read holds a large library in the heap: the file is then streamed by the download
 * endpoint within the download budgets. Its size is known before anything is read (the
 * cached copy's count); a library never synced is read into a buffer that gives up at the
 * same bound.
 */
final class LibraryResource {

	static final String URI = "saved-tracks://library.csv";

	/** A generous size of one track's CSV row. */
	private static final int BYTES_PER_TRACK = 4096;

	private final Library library;

	private final CallLimits limits;

	private final int maxTracks;

	LibraryResource(Library library, CallLimits limits, int maxTracks) {
		this.library = library;
		this.limits = limits;
		this.maxTracks = maxTracks;
	}

	ReadResourceResult read(McpTransportContext context, ReadResourceRequest request) {
		Caller caller = Caller.of(context);
		Optional<CallLimits.Turn> turn = this.limits.enter(caller.accountId());
		if (turn.isEmpty()) {
			throw McpError.builder(LibraryUnavailable.LIBRARY_UNAVAILABLE)
				.message(this.limits.refusal())
				.data(Map.of("error", "too-many-calls", "retryAfterSeconds",
						Math.max(1, this.limits.retryAfter().toSeconds())))
				.build();
		}
		try (CallLimits.Turn running = turn.get()) {
			Optional<Library.Status> status = this.library.status(caller.accountId());
			if (status.isPresent() && status.get().total() > this.maxTracks) {
				return link(caller, status.get().total());
			}
			Bounded csv = new Bounded(this.maxTracks + 1L, (long) this.maxTracks * BYTES_PER_TRACK);
			try {
				this.library.csv(caller.accountId(), csv);
			}
			catch (TooLarge ex) {
				return link(caller, null);
			}
			return contents(TextResourceContents.builder(URI, csv.text()).mimeType("text/csv").build());
		}
		catch (McpError ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw LibraryUnavailable.of(ex, caller).protocolError();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private ReadResourceResult link(Caller caller, @Nullable Integer tracks) {
		Library.DownloadLink link = this.library.downloadLink(caller.accountId(), "csv");
		String text = "The library" + ((tracks != null) ? " holds " + tracks + " tracks, which is" : " is")
				+ " too large to read here (more than " + this.maxTracks + " tracks). Download it as CSV at "
				+ caller.baseUrl() + link.path() + " until " + link.expiresAt()
				+ " (the link works without signing in: give it only to the person whose library it is), or read "
				+ "it in pages with get_saved_tracks.";
		return contents(TextResourceContents.builder(URI, text).mimeType("text/plain").build());
	}

	private static ReadResourceResult contents(TextResourceContents contents) {
		return ReadResourceResult.builder(List.of(contents)).build();
	}

	/**
	 * A buffer that refuses more than {@code maxLines} lines (a header and a row per
	 * track; a line break inside a quoted name counts too, which only errs towards the
	 * link) or {@code maxBytes} bytes.
	 */
	private static final class Bounded extends OutputStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);

		private final long maxLines;

		private final long maxBytes;

		private long lines;

		Bounded(long maxLines, long maxBytes) {
			this.maxLines = maxLines;
			this.maxBytes = maxBytes;
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] buffer, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				if (buffer[i] == '\n') {
					this.lines++;
				}
			}
			if (this.lines > this.maxLines || this.bytes.size() + (long) length > this.maxBytes) {
				throw new TooLarge();
			}
			this.bytes.write(buffer, offset, length);
		}

		String text() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

	/** The library outgrew the bound while it was read. */
	private static final class TooLarge extends RuntimeException {

		TooLarge() {
			super(null, null, false, false);
		}

	}

}
