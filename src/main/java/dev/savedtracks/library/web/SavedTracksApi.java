package dev.savedtracks.library.web;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The OpenAPI description of {@code GET /api/saved-tracks}, kept apart from the
 * controller's HTTP handling.
 */
@Tag(name = "Saved tracks")
public interface SavedTracksApi {

	String STALE_HEADER = "X-Library-Stale";

	String THROTTLED_HEADER = "X-Library-Throttled";

	String CHECKED_AT_HEADER = "X-Library-Checked-At";

	@Operation(operationId = "getSavedTracks", summary = "The caller's saved tracks",
			description = "The whole library by default, most recently saved first, from the per-person cache. "
					+ "Within the freshness window no Spotify request is made; afterwards (or with refresh=true) one "
					+ "request revalidates it. Formats by Accept: application/json (default), text/csv (RFC 4180, "
					+ "a header row, artists joined with \"; \"), application/x-ndjson (one track per line, "
					+ "streamed). Credentials: an API key or a signed-in browser session; keys can read, not delete "
					+ "or manage keys.")
	@Parameter(name = "offset", in = ParameterIn.QUERY, description = "First item of the window (0-1000000)",
			schema = @Schema(type = "integer", defaultValue = "0", minimum = "0", maximum = "1000000"))
	@Parameter(name = "limit", in = ParameterIn.QUERY, description = "Items in the window (default: all)",
			schema = @Schema(type = "integer", minimum = "1", maximum = "1000000"))
	@Parameter(name = "refresh", in = ParameterIn.QUERY,
			description = "true: revalidate against Spotify now (at most every LIBRARY_MIN_RECHECK, else the copy "
					+ "is served and X-Library-Throttled says so); full: reconcile the whole library now (at most "
					+ "every LIBRARY_FULL_REFRESH_INTERVAL, else it revalidates and says so in X-Library-Throttled)",
			schema = @Schema(type = "string", allowableValues = { "false", "true", "full" }, defaultValue = "false"))
	@Parameter(name = "Cache-Control", in = ParameterIn.HEADER,
			description = "max-stale: when Spotify needs the person to sign in again, answer 200 with the cached "
					+ "copy (marked X-Library-Stale: reauthorization-required) instead of 401",
			schema = @Schema(type = "string", example = "max-stale"))
	@Parameter(name = "If-None-Match", in = ParameterIn.HEADER, description = "An ETag from an earlier answer",
			schema = @Schema(type = "string"))
	@Parameter(name = "If-Modified-Since", in = ParameterIn.HEADER,
			description = "A Last-Modified from an earlier answer (HTTP date)", schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "200", description = "The window of the library", content = {
			@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = SavedTracksResponse.class)),
			@Content(mediaType = "text/csv",
					schema = @Schema(type = "string", description = "RFC 4180 CSV with a header row, one track a row")),
			@Content(mediaType = "application/x-ndjson",
					schema = @Schema(type = "string", description = "One track a line, as JSON")) },
			headers = {
					@Header(name = "ETag", description = "Weak; changes exactly when the content changes",
							schema = @Schema(type = "string")),
					@Header(name = "Last-Modified", description = "When the library was last synced (HTTP date)",
							schema = @Schema(type = "string")),
					@Header(name = STALE_HEADER,
							description = "The copy could not be confirmed with Spotify just now, and why: "
									+ "spotify-unavailable, spotify-rate-limited, spotify-quota-exceeded, "
									+ "spotify-access-denied, spotify-owner-premium-required, "
									+ "reauthorization-required, library-changing, "
									+ "sync-in-progress, full-sync-budget-used or sync-failed",
							schema = @Schema(type = "string")),
					@Header(name = THROTTLED_HEADER,
							description = "What was asked of Spotify and not done, and when it may be asked again: "
									+ "full-sync (refresh=full too soon: revalidated instead), recheck (refresh=true "
									+ "too soon after the last check: the copy is served) or full-sync-budget (the "
									+ "library's full syncs of the day are used up: the copy is served); "
									+ "<what>; retry-after=<seconds>",
							schema = @Schema(type = "string", example = "recheck; retry-after=7")),
					@Header(name = CHECKED_AT_HEADER, description = "When Spotify last confirmed the copy (ISO 8601)",
							schema = @Schema(type = "string", format = "date-time")) })
	@ApiResponse(responseCode = "304", description = "Not modified since the ETag / date given", content = @Content)
	@ApiResponse(responseCode = "400", description = "Invalid offset, limit or refresh (nothing asked of Spotify)",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401",
			description = "No valid credential (unauthenticated), or Spotify needs the person to sign in again "
					+ "(reauthorization-required, with signInUrl)",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403",
			description = "Spotify refused access (spotify-access-denied, with reason user-not-registered, "
					+ "owner-premium-required or refused) and nothing is cached",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "406", description = "Accept names no supported format",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "Too many downloads of this library at once; Retry-After",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)),
			headers = @Header(name = "Retry-After", description = "Seconds to wait before trying again",
					schema = @Schema(type = "integer")))
	@ApiResponse(responseCode = "502", description = "Spotify failed and nothing is cached",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503",
			description = "Spotify rate limit or quota, a sync still running, or the service busy, and nothing "
					+ "cached; Retry-After",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)),
			headers = @Header(name = "Retry-After", description = "Seconds to wait before trying again",
					schema = @Schema(type = "integer")))
	@Nullable ResponseEntity<StreamingResponseBody> json(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) HttpServletResponse response, @Parameter(hidden = true) WebRequest webRequest,
			@Parameter(hidden = true) Authentication caller) throws IOException;

	/** Documented with {@link #json}: one operation, three formats. */
	@Operation(hidden = true)
	@Nullable ResponseEntity<StreamingResponseBody> csv(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) HttpServletResponse response, @Parameter(hidden = true) WebRequest webRequest,
			@Parameter(hidden = true) Authentication caller) throws IOException;

	/** Documented with {@link #json}: one operation, three formats. */
	@Operation(hidden = true)
	@Nullable ResponseEntity<StreamingResponseBody> ndjson(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) HttpServletResponse response, @Parameter(hidden = true) WebRequest webRequest,
			@Parameter(hidden = true) Authentication caller) throws IOException;

}
