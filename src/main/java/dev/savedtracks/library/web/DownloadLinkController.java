package dev.savedtracks.library.web;

import java.io.IOException;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.answer.SavedTracksAnswers;
import dev.savedtracks.library.answer.SavedTracksFormat;
import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.read.DownloadLinks;
import dev.savedtracks.library.read.LibraryOpener;
import dev.savedtracks.library.read.ReadRequest;
import dev.savedtracks.system.ProblemException;

/**
 * {@code GET /downloads/{token}}: the whole library of the person a download link was
 * made for ({@link DownloadLinks}), as a file, read and streamed exactly as
 * {@code GET /api/saved-tracks} with the same {@code Accept} would be, within the same
 * download budgets. The token is the credential: the answer is never cached and sends no
 * referrer.
 */
@RestController
@Tag(name = "Saved tracks")
class DownloadLinkController {

	private final DownloadLinks links;

	private final LibraryOpener opener;

	private final SavedTracksAnswers answers;

	private final List<SavedTracksFormat> formats;

	DownloadLinkController(DownloadLinks links, LibraryOpener opener, SavedTracksAnswers answers,
			List<SavedTracksFormat> formats) {
		this.links = links;
		this.opener = opener;
		this.answers = answers;
		this.formats = formats;
	}

	@GetMapping(DownloadLinks.PATH + "{token}")
	@Operation(operationId = "downloadLibrary", summary = "Download a library through a short-lived link",
			description = "The whole library of the person a download link was made for (the MCP tool "
					+ "export_library makes them), as a file in the link's format (CSV, NDJSON or JSON), most "
					+ "recently saved first. The link is the credential: it works without any other for "
					+ "LIBRARY_DOWNLOAD_LINK_LIFETIME (15 minutes by default), and within the same download limits "
					+ "as GET /api/saved-tracks.")
	@ApiResponse(responseCode = "200", description = "The library, as an attachment",
			content = { @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
					@Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")),
					@Content(mediaType = "application/json", schema = @Schema(type = "string")) })
	@ApiResponse(responseCode = "404", description = "No such link, or it has expired (download-link-expired)",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401",
			description = "Spotify needs the person to sign in again (reauthorization-required) and nothing is cached",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "Too many downloads of this library at once; Retry-After",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)),
			headers = @Header(name = "Retry-After", description = "Seconds to wait before trying again",
					schema = @Schema(type = "integer")))
	@ApiResponse(responseCode = "503",
			description = "The service or Spotify is busy and nothing is cached; Retry-After",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)),
			headers = @Header(name = "Retry-After", description = "Seconds to wait before trying again",
					schema = @Schema(type = "integer")))
	@Nullable ResponseEntity<StreamingResponseBody> download(
			@Parameter(description = "The link's token",
					schema = @Schema(type = "string", maxLength = 64,
							pattern = "^[A-Za-z0-9_-]+$")) @PathVariable String token,
			@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) HttpServletResponse response) throws IOException {
		DownloadLinks.Opened link = this.links.open(token).orElseThrow(LinkExpired::new);
		SavedTracksFormat format = this.formats.stream()
			.filter(f -> f.name().equals(link.format()))
			.findFirst()
			.orElseThrow(LinkExpired::new);
		OpenLibrary opened = this.opener.open(link.accountId(), ReadRequest.of(Window.ALL));
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				ContentDisposition.attachment().filename("saved-tracks." + format.name()).build().toString());
		return this.answers.answer(opened, format, request, response);
	}

	/** The link is unknown or expired: the agent can make a new one. */
	static class LinkExpired extends ProblemException {

		LinkExpired() {
			super(HttpStatus.NOT_FOUND, "download-link-expired", "Download link expired",
					"This download link does not exist or has expired. Ask your AI agent for a new one.",
					"unknown or expired download link", null, null);
		}

	}

}
