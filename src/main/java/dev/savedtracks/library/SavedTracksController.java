package dev.savedtracks.library;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.spotify.SpotifyRateLimited;

/**
 * {@code GET /api/saved-tracks}: the caller's whole library, or a window of it, from the per-person cache, as JSON
 * (default), CSV or NDJSON. Answers carry a weak ETag and Last-Modified so callers can revalidate for free.
 */
@RestController
@Tag(name = "Saved tracks")
class SavedTracksController {

	/** Present, with the reason, when the library is served from cache because Spotify could not be asked. */
	static final String STALE_HEADER = "X-Library-Stale";

	static final String TEXT_CSV = "text/csv";

	static final String NDJSON = "application/x-ndjson";

	private static final String PATH = "/api/saved-tracks";

	/**
	 * JSON answers of up to this many tracks (a whole library of 10,000 is about 5 MB) are encoded into memory, and
	 * kept by {@link EncodedWindows} for the next read of the same version; larger ones are written out row by row as
	 * they are read, so that even a huge library is served within a small heap.
	 */
	private static final int ENCODED_IN_MEMORY_MAX_ITEMS = 10_000;

	// Clients may keep a copy but must revalidate (a cheap 304) before reusing it; shared caches must not keep it.
	private static final CacheControl CACHE_CONTROL = CacheControl.noCache().cachePrivate();

	private final LibraryService library;

	private final LibraryReader reader;

	private final EncodedWindows encoded;

	private final JsonMapper json;

	SavedTracksController(LibraryService library, LibraryReader reader, EncodedWindows encoded, JsonMapper json) {
		this.library = library;
		this.reader = reader;
		this.encoded = encoded;
		this.json = json;
	}

	@Operation(summary = "The caller's saved tracks",
			description = "The whole library by default, most recently saved first, from the per-person cache. "
					+ "Within the freshness window no Spotify request is made; afterwards (or with refresh=true) one "
					+ "request revalidates it. Formats by Accept: application/json (default), text/csv, "
					+ "application/x-ndjson (one track per line, streamed).")
	@Parameter(name = "offset", in = ParameterIn.QUERY, description = "First item of the window (0-1000000)",
			schema = @Schema(type = "integer", defaultValue = "0", minimum = "0", maximum = "1000000"))
	@Parameter(name = "limit", in = ParameterIn.QUERY, description = "Items in the window (default: all)",
			schema = @Schema(type = "integer", minimum = "1", maximum = "1000000"))
	@Parameter(name = "refresh", in = ParameterIn.QUERY, description = "Revalidate against Spotify now",
			schema = @Schema(type = "boolean", defaultValue = "false"))
	@Parameter(name = "Cache-Control", in = ParameterIn.HEADER,
			description = "max-stale: when Spotify needs the person to sign in again, answer 200 with the cached "
					+ "copy (marked X-Library-Stale: reauthorization-required) instead of 401")
	@Parameter(name = "If-None-Match", in = ParameterIn.HEADER, description = "An ETag from an earlier answer")
	@ApiResponse(responseCode = "200", description = "The window of the library",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = SavedTracksResponse.class)),
			headers = { @Header(name = "ETag", description = "Weak; changes exactly when the content changes"),
					@Header(name = "Last-Modified", description = "When the library was last synced"),
					@Header(name = STALE_HEADER,
							description = "Served from cache because Spotify could not be asked: "
									+ "spotify-unavailable, spotify-rate-limited or reauthorization-required") })
	@ApiResponse(responseCode = "304", description = "Not modified since the ETag / date given", content = @Content)
	@ApiResponse(responseCode = "400", description = "Invalid offset, limit or refresh (nothing asked of Spotify)",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401",
			description = "No valid credential (unauthenticated), or Spotify needs the person to sign in again "
					+ "(reauthorization-required, with signInUrl)",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Spotify refused access (development-mode user list)",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "406", description = "Accept names no supported format",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "502", description = "Spotify failed and nothing is cached",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503",
			description = "Spotify rate limit or quota, nothing cached; Retry-After when known",
			content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	@Nullable ResponseEntity<byte[]> json(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) HttpServletResponse response, @Parameter(hidden = true) Authentication caller)
			throws IOException {
		Prepared prepared = prepare(request, caller, "json");
		if (prepared.notModified()) {
			return prepared.headers(HttpStatus.NOT_MODIFIED).build();
		}
		if (prepared.items() > ENCODED_IN_MEMORY_MAX_ITEMS) {
			writeJson(prepared, response);
			return null;
		}
		byte[] body = this.encoded.find(prepared.accountId(), prepared.head(), prepared.window());
		Prepared sent = prepared;
		if (body == null) {
			LibraryReader.Window window = this.reader.read(prepared.accountId(), prepared.window());
			body = this.json.writeValueAsBytes(window.body());
			this.encoded.keep(prepared.accountId(), window.head(), prepared.window(), body);
			sent = prepared.describing(window.head());
		}
		return sent.headers(HttpStatus.OK).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	/**
	 * Writes a large JSON answer row by row as it is read, in this request's thread and inside one snapshot, so
	 * that the headers describe exactly the version whose rows follow and no more than a row is held at a time.
	 */
	private void writeJson(Prepared prepared, HttpServletResponse response) throws IOException {
		// Creating the generator writes nothing: the headers set once the head is known still go out first.
		JsonGenerator json = this.json.createGenerator(response.getOutputStream());
		this.reader.stream(prepared.accountId(), prepared.window(), head -> {
			prepared.describing(head)
				.headers(HttpStatus.OK)
				.contentType(MediaType.APPLICATION_JSON)
				.build()
				.getHeaders()
				.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
			// The fields of SavedTracksResponse, in its order.
			json.writeStartObject();
			json.writeNumberProperty("total", head.total());
			json.writeNumberProperty("offset", prepared.window().offset());
			json.writeName("syncedAt");
			json.writePOJO(head.syncedAt());
			json.writeArrayPropertyStart("items");
			return json::writeRawValue;
		});
		json.writeEndArray();
		json.writeEndObject();
		json.close();
	}

	@Operation(summary = "The caller's saved tracks as CSV (RFC 4180, header row, artists joined with \"; \")")
	@GetMapping(path = PATH, produces = TEXT_CSV)
	ResponseEntity<StreamingResponseBody> csv(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) Authentication caller) {
		Prepared prepared = prepare(request, caller, "csv");
		if (prepared.notModified()) {
			return prepared.headers(HttpStatus.NOT_MODIFIED).build();
		}
		StreamingResponseBody body = stream(prepared, writer -> {
			CsvTracks.header(writer);
			return track -> CsvTracks.row(writer, this.json.readValue(track, Track.class));
		});
		return prepared.headers(HttpStatus.OK)
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.body(body);
	}

	@Operation(summary = "The caller's saved tracks as NDJSON, one track per line, streamed")
	@GetMapping(path = PATH, produces = NDJSON)
	ResponseEntity<StreamingResponseBody> ndjson(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) Authentication caller) {
		Prepared prepared = prepare(request, caller, "ndjson");
		if (prepared.notModified()) {
			return prepared.headers(HttpStatus.NOT_MODIFIED).build();
		}
		StreamingResponseBody body = stream(prepared, writer -> track -> {
			writer.write(track);
			writer.write('\n');
		});
		return prepared.headers(HttpStatus.OK).contentType(MediaType.parseMediaType(NDJSON)).body(body);
	}

	/** Streams the window row by row through a buffered UTF-8 writer, never holding the whole body. */
	private StreamingResponseBody stream(Prepared prepared, RowFormat format) {
		return out -> {
			Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
			LibraryReader.TrackSink sink = format.start(writer);
			this.reader.stream(prepared.accountId(), prepared.window(), head -> sink);
			writer.flush();
		};
	}

	/** A streamed format: writes what precedes the rows, and returns how each row is written. */
	@FunctionalInterface
	private interface RowFormat {

		LibraryReader.TrackSink start(Writer writer) throws java.io.IOException;

	}

	private Prepared prepare(HttpServletRequest request, Authentication caller, String format) {
		LibraryWindow window = LibraryWindow.parse(request.getParameterMap());
		String accountId = caller.getName();
		LibraryService.Freshness freshness = this.library.prepare(accountId, window.refresh(),
				acceptsStale(request));
		LibraryReader.Head head = (freshness.head() != null) ? freshness.head() : this.reader.head(accountId)
			.orElseThrow(() -> new IllegalStateException("no cached library for " + accountId));
		Prepared prepared = new Prepared(accountId, window, format, freshness, head, false);
		return prepared.withNotModified(isNotModified(request, prepared));
	}

	/** {@code Cache-Control: max-stale} (RFC 9111): the caller prefers the cached copy to an error. */
	private static boolean acceptsStale(HttpServletRequest request) {
		return request.getHeaders(HttpHeaders.CACHE_CONTROL).asIterator().hasNext()
				&& java.util.Collections.list(request.getHeaders(HttpHeaders.CACHE_CONTROL))
					.stream()
					.anyMatch(value -> value.toLowerCase(java.util.Locale.ROOT).contains("max-stale"));
	}

	private static boolean isNotModified(HttpServletRequest request, Prepared prepared) {
		String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch != null) {
			String etag = prepared.etag();
			for (String candidate : ifNoneMatch.split(",")) {
				String tag = candidate.trim();
				if (tag.equals("*") || weak(tag).equals(weak(etag))) {
					return true;
				}
			}
			return false;
		}
		String ifModifiedSince = request.getHeader(HttpHeaders.IF_MODIFIED_SINCE);
		Instant syncedAt = prepared.head().syncedAt();
		if (ifModifiedSince == null || syncedAt == null) {
			return false;
		}
		try {
			Instant since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			return !syncedAt.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

	private static String weak(String tag) {
		return tag.startsWith("W/") ? tag.substring(2) : tag;
	}

	private static String staleReason(@Nullable RuntimeException cause) {
		if (cause instanceof ReauthorizationRequired) {
			return "reauthorization-required";
		}
		if (cause instanceof SpotifyRateLimited) {
			return "spotify-rate-limited";
		}
		return "spotify-unavailable";
	}

	/** Everything decided before the body is read. */
	private record Prepared(String accountId, LibraryWindow window, String format, LibraryService.Freshness freshness,
			LibraryReader.Head head, boolean notModified) {

		/** A sync may have committed since the head was read: the headers must describe what is actually sent. */
		Prepared describing(LibraryReader.Head sent) {
			return (sent.version() == this.head.version()) ? this
					: new Prepared(this.accountId, this.window, this.format, this.freshness, sent, false);
		}

		/** How many tracks the answer holds. */
		int items() {
			return this.window.sizeIn(this.head.total());
		}

		Prepared withNotModified(boolean value) {
			return new Prepared(this.accountId, this.window, this.format, this.freshness, this.head, value);
		}

		/**
		 * Weak, because the same content may be sent gzip-compressed or not. Derived from the account, the cached
		 * version, the window and the format: it changes exactly when the answer's content does, and two people's
		 * answers never share one.
		 */
		String etag() {
			String basis = this.accountId + "|" + this.head.version() + "|" + this.window.offset() + "|"
					+ this.window.limit() + "|" + this.format;
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
				return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
						+ "\"";
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		ResponseEntity.BodyBuilder headers(HttpStatus status) {
			ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
				.eTag(etag())
				.cacheControl(CACHE_CONTROL)
				.varyBy(HttpHeaders.ACCEPT, HttpHeaders.AUTHORIZATION, HttpHeaders.COOKIE);
			if (this.head.syncedAt() != null) {
				response.lastModified(this.head.syncedAt().atZone(ZoneOffset.UTC));
			}
			if (this.freshness.stale()) {
				response.header(STALE_HEADER, staleReason(this.freshness.cause()));
			}
			return response;
		}

	}

}
