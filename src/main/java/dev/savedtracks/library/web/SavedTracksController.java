package dev.savedtracks.library.web;

import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.answer.JsonTracks;
import dev.savedtracks.library.answer.NdjsonTracks;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.answer.SavedTracksAnswers;
import dev.savedtracks.library.answer.SavedTracksFormat;
import dev.savedtracks.library.read.LibraryOpener;
import dev.savedtracks.library.read.ReadRequest;
import dev.savedtracks.system.ProblemException;

/**
 * {@code GET /api/saved-tracks}, HTTP only: parses the window, opens the library, says in
 * headers what the answer is (ETag, Last-Modified, staleness), answers 304 through
 * Spring's conditional GET, and hands the body to the chosen format.
 */
@RestController
class SavedTracksController implements SavedTracksApi {

	private static final String PATH = "/api/saved-tracks";

	// Clients may keep a copy but must revalidate (a cheap 304) before reusing it; shared
	// caches must not keep it.
	private static final String CACHE_CONTROL = CacheControl.noCache().cachePrivate().getHeaderValue();

	private final LibraryOpener opener;

	private final SavedTracksAnswers answers;

	private final JsonTracks json;

	private final CsvTracks csv;

	private final NdjsonTracks ndjson;

	SavedTracksController(LibraryOpener opener, SavedTracksAnswers answers, JsonTracks json, CsvTracks csv,
			NdjsonTracks ndjson) {
		this.opener = opener;
		this.answers = answers;
		this.json = json;
		this.csv = csv;
		this.ndjson = ndjson;
	}

	@Override
	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	public @Nullable ResponseEntity<StreamingResponseBody> json(HttpServletRequest request,
			HttpServletResponse response, WebRequest webRequest, Authentication caller) throws IOException {
		return answer(this.json, request, response, webRequest, caller);
	}

	@Override
	@GetMapping(path = PATH, produces = "text/csv")
	public @Nullable ResponseEntity<StreamingResponseBody> csv(HttpServletRequest request, HttpServletResponse response,
			WebRequest webRequest, Authentication caller) throws IOException {
		return answer(this.csv, request, response, webRequest, caller);
	}

	@Override
	@GetMapping(path = PATH, produces = "application/x-ndjson")
	public @Nullable ResponseEntity<StreamingResponseBody> ndjson(HttpServletRequest request,
			HttpServletResponse response, WebRequest webRequest, Authentication caller) throws IOException {
		return answer(this.ndjson, request, response, webRequest, caller);
	}

	private @Nullable ResponseEntity<StreamingResponseBody> answer(SavedTracksFormat format, HttpServletRequest request,
			HttpServletResponse response, WebRequest webRequest, Authentication caller) throws IOException {
		ReadRequest read = SavedTracksQuery.parse(request.getParameterMap(), acceptsStale(request));
		OpenLibrary opened = this.opener.open(caller.getName(), read);
		response.setHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
		response.setHeader(HttpHeaders.VARY, "Accept, Authorization, Cookie");
		if (opened.stale() != null) {
			response.setHeader(STALE_HEADER, opened.stale().slug());
		}
		if (opened.throttled() != null) {
			response.setHeader(THROTTLED_HEADER, opened.throttled().what() + "; retry-after="
					+ ProblemException.retryAfterSeconds(opened.throttled().retryAfter()));
		}
		if (opened.checkedAt() != null) {
			response.setHeader(CHECKED_AT_HEADER, opened.checkedAt().truncatedTo(ChronoUnit.SECONDS).toString());
		}
		if (webRequest.checkNotModified(opened.etag(format.name()), opened.lastModified())) {
			return null;
		}
		return this.answers.answer(opened, format, request, response);
	}

	/**
	 * {@code Cache-Control: max-stale} (RFC 9111): the caller prefers the cached copy to
	 * an error.
	 */
	private static boolean acceptsStale(HttpServletRequest request) {
		return Collections.list(request.getHeaders(HttpHeaders.CACHE_CONTROL))
			.stream()
			.anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("max-stale"));
	}

}
