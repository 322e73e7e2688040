package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.savedtracks.account.SignInDeadline;
import dev.savedtracks.library.Library;

/**
 * The MCP tools and resource over a person's library, as the server lists them, and what
 * every call goes through: the caller's turn ({@link CallLimits}), and a tool error that
 * says why when the library cannot be read or an argument is wrong. Each tool reads the
 * cache exactly as {@code GET /api/saved-tracks} does (a warm call costs Spotify nothing)
 * and reports a stale copy in its result. Every tool only reads: annotated read-only, not
 * destructive, closed world.
 */
@Component
class LibraryTools {

	static final String CSV_URI = LibraryResource.URI;

	private static final ToolAnnotations READ_ONLY = ToolAnnotations.builder()
		.readOnlyHint(true)
		.destructiveHint(false)
		.idempotentHint(true)
		.openWorldHint(false)
		.build();

	private final Library library;

	private final CallLimits limits;

	private final TrackListings listings;

	private final LibraryOverview overview;

	private final LibraryExport export;

	private final LibraryResource resource;

	private final SignInDeadline deadlines;

	LibraryTools(Library library, CallLimits limits, JsonMapper json, McpSettings settings, SignInDeadline deadlines) {
		this.library = library;
		this.deadlines = deadlines;
		this.limits = limits;
		this.listings = new TrackListings(library, json);
		this.overview = new LibraryOverview(library, json);
		this.export = new LibraryExport(library);
		this.resource = new LibraryResource(library, limits, settings.resourceMaxTracks());
	}

	List<SyncToolSpecification> tools(McpJsonMapper json) {
		McpSchema.Tool savedTracks = McpSchema.Tool.builder(TrackListings.GET, json, ToolSchemas.GET_SAVED_TRACKS_INPUT)
			.title("Saved tracks")
			.description("A page of the person's saved tracks (Spotify Liked Songs), most recently saved first, with "
					+ "the library's total. Call again with cursor set to nextCursor until it is null to read the "
					+ "whole library.")
			.outputSchema(json, ToolSchemas.TRACKS_PAGE_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool search = McpSchema.Tool.builder(TrackListings.SEARCH, json, ToolSchemas.SEARCH_INPUT)
			.title("Search saved tracks")
			.description("Finds saved tracks by words in the title, artist or album (case and accents ignored), by "
					+ "artist, album, when they were saved, release decade and explicitness; most recently saved "
					+ "first or sorted, with the number of matches.")
			.outputSchema(json, ToolSchemas.TRACKS_PAGE_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool stats = McpSchema.Tool.builder(LibraryOverview.STATS, json, ToolSchemas.STATS_INPUT)
			.title("Library statistics")
			.description("An overview of the saved tracks, or of those that pass the same filters as the search: how "
					+ "many, most saved artists and albums, saves per year (or month), release decades, the first and "
					+ "the latest saved, and when the library was last synced.")
			.outputSchema(json, ToolSchemas.STATS_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool artists = McpSchema.Tool.builder(LibraryOverview.ARTISTS, json, ToolSchemas.COUNTS_INPUT)
			.title("Saved artists")
			.description("Every artist of the saved tracks (or of those that pass the filters), with how many "
					+ "saved tracks credit them, the most saved first.")
			.outputSchema(json, ToolSchemas.COUNTS_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool albums = McpSchema.Tool.builder(LibraryOverview.ALBUMS, json, ToolSchemas.COUNTS_INPUT)
			.title("Saved albums")
			.description("Every album of the saved tracks (or of those that pass the filters), with how many of its "
					+ "tracks are saved, the most saved first.")
			.outputSchema(json, ToolSchemas.COUNTS_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool export = McpSchema.Tool.builder(LibraryExport.TOOL, json, ToolSchemas.EXPORT_INPUT)
			.title("Export the library")
			.description("A link that downloads the person's whole library as a file (CSV by default), valid for a "
					+ "few minutes, for them to open: use it instead of reading the whole library when they want "
					+ "a copy or a spreadsheet.")
			.outputSchema(json, ToolSchemas.EXPORT_OUTPUT)
			// It makes a link that reads the library without a credential: not read-only,
			// so that clients may ask the person first.
			.annotations(ToolAnnotations.builder()
				.readOnlyHint(false)
				.destructiveHint(false)
				.idempotentHint(false)
				.openWorldHint(false)
				.build())
			.build();
		return List.of(tool(savedTracks, this.listings::savedTracks), tool(search, this.listings::search),
				tool(stats, this.overview::stats), tool(artists, this.overview::artists),
				tool(albums, this.overview::albums), tool(export, this.export::export));
	}

	List<SyncResourceSpecification> resources() {
		return List.of(new SyncResourceSpecification(McpSchema.Resource.builder(CSV_URI, "saved-tracks.csv")
			.title("Saved tracks (CSV)")
			.description("The whole library as CSV (RFC 4180, a header row, most recently saved first), the same as "
					+ "GET /api/saved-tracks with Accept: text/csv; for a large library, a link to download it.")
			.mimeType("text/csv")
			.build(), this.resource::read));
	}

	private SyncToolSpecification tool(McpSchema.Tool tool, ToolHandler handler) {
		McpSchema.Tool withIcon = new McpSchema.Tool(tool.name(), tool.title(), tool.description(), tool.inputSchema(),
				tool.outputSchema(), tool.annotations(), tool.meta(), LibraryPrompts.ICONS);
		return SyncToolSpecification.builder().tool(withIcon).callHandler((context, request) -> {
			Caller caller = Caller.of(context);
			Map<String, Object> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
			Optional<CallLimits.Turn> turn = this.limits.enter(caller.accountId());
			if (turn.isEmpty()) {
				return ToolAnswers.error(this.limits.refusal());
			}
			try (CallLimits.Turn running = turn.get()) {
				return withSignInReminder(handler.call(caller, arguments), caller);
			}
			catch (TrackSearch.InvalidArguments ex) {
				return ToolAnswers.error(ex.getMessage());
			}
			catch (RuntimeException ex) {
				return LibraryUnavailable.of(ex, caller).toolResult();
			}
		}).build();
	}

	/**
	 * The result, with a last line telling the person to sign in again when their
	 * authorisation at Spotify ends within 14 days.
	 */
	private CallToolResult withSignInReminder(CallToolResult result, Caller caller) {
		Optional<Instant> deadline = this.deadlines.dueSoon(caller.accountId());
		if (deadline.isEmpty() || Boolean.TRUE.equals(result.isError())) {
			return result;
		}
		List<McpSchema.Content> content = new ArrayList<>(result.content());
		content.add(new McpSchema.TextContent("Sign in again before " + deadline.get() + ": Spotify ends the "
				+ "person's authorisation then, and the library stops updating. Sign in at " + caller.signInUrl()));
		return CallToolResult.builder()
			.content(content)
			.structuredContent(result.structuredContent())
			.isError(result.isError())
			.build();
	}

	/** A tool's work, once the caller is known. */
	@FunctionalInterface
	private interface ToolHandler {

		CallToolResult call(Caller caller, Map<String, Object> arguments);

	}

}
