package dev.savedtracks.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.savedtracks.account.SignInDeadline;
import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

/**
 * The MCP tools and resource over a person's library. Each reads the cache exactly as
 * {@code GET /api/saved-tracks} does (a warm call costs Spotify nothing), reports a stale
 * copy in its result, and answers a library it cannot read with a tool error that says
 * why. Every tool only reads: annotated read-only, not destructive, closed world.
 */
@Component
class LibraryTools {

	static final String CSV_URI = "saved-tracks://library.csv";

	private static final ToolAnnotations READ_ONLY = ToolAnnotations.builder()
		.readOnlyHint(true)
		.destructiveHint(false)
		.idempotentHint(true)
		.openWorldHint(false)
		.build();

	private final Library library;

	private final SignInDeadline deadlines;

	LibraryTools(Library library, SignInDeadline deadlines) {
		this.library = library;
		this.deadlines = deadlines;
	}

	List<SyncToolSpecification> tools(McpJsonMapper json) {
		McpSchema.Tool savedTracks = McpSchema.Tool
			.builder("get_saved_tracks", json, ToolSchemas.GET_SAVED_TRACKS_INPUT)
			.title("Saved tracks")
			.description("A page of the person's saved tracks (Spotify Liked Songs), most recently saved first, with "
					+ "the library's total. Call again with nextOffset until it is null to read the whole library.")
			.outputSchema(json, ToolSchemas.TRACKS_PAGE_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool search = McpSchema.Tool.builder("search_saved_tracks", json, ToolSchemas.SEARCH_INPUT)
			.title("Search saved tracks")
			.description("Finds saved tracks by words in the title, artist or album (case and accents ignored), by "
					+ "artist, and by when they were saved; most recently saved first, with the number of matches.")
			.outputSchema(json, ToolSchemas.TRACKS_PAGE_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool stats = McpSchema.Tool.builder("library_stats", json, ToolSchemas.STATS_INPUT)
			.title("Library statistics")
			.description("An overview of the saved tracks: how many, most saved artists, tracks saved per year, the "
					+ "first and the latest saved, and when the library was last synced.")
			.outputSchema(json, ToolSchemas.STATS_OUTPUT)
			.annotations(READ_ONLY)
			.build();
		return List.of(tool(savedTracks, this::savedTracks), tool(search, this::search), tool(stats, this::stats));
	}

	List<SyncResourceSpecification> resources() {
		return List.of(new SyncResourceSpecification(McpSchema.Resource.builder(CSV_URI, "saved-tracks.csv")
			.title("Saved tracks (CSV)")
			.description("The whole library as CSV (RFC 4180, a header row, most recently saved first), the same as "
					+ "GET /api/saved-tracks with Accept: text/csv.")
			.mimeType("text/csv")
			.build(), this::csv));
	}

	private SyncToolSpecification tool(McpSchema.Tool tool, ToolHandler handler) {
		return SyncToolSpecification.builder().tool(tool).callHandler((context, request) -> {
			Caller caller = Caller.of(context);
			Map<String, Object> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
			try {
				return withSignInReminder(handler.call(caller, arguments), caller);
			}
			catch (TrackSearch.InvalidArguments ex) {
				return CallToolResult.builder().isError(true).addTextContent(ex.getMessage()).build();
			}
			catch (RuntimeException ex) {
				return LibraryUnavailable.of(ex, caller).toolResult();
			}
		}).build();
	}

	private CallToolResult savedTracks(Caller caller, Map<String, Object> arguments) {
		int offset = integer(arguments, "offset", 0);
		List<String> fields = strings(arguments, "fields");
		Library.Tracks window = this.library.window(caller.accountId(), offset, integer(arguments, "limit", 50));
		List<Object> items = new ArrayList<>(window.items().size());
		for (Track track : window.items()) {
			items.add(fields.isEmpty() ? track : only(fields, track));
		}
		Library.Copy summary = window.copy();
		int end = offset + items.size();
		TracksPage page = new TracksPage(summary.total(), offset, items, (end < summary.total()) ? end : null,
				summary.syncedAt(), stale(summary));
		StringJoiner text = new StringJoiner("\n");
		if (items.isEmpty()) {
			text.add("No saved tracks from offset " + offset + ": the library holds " + summary.total() + ".");
		}
		else {
			text.add("Saved tracks " + (offset + 1) + "-" + end + " of " + summary.total()
					+ ", most recently saved first. " + ((page.nextOffset() != null)
							? "More: call again with offset " + page.nextOffset() + "." : "That is the end."));
		}
		staleNote(summary).ifPresent(text::add);
		Set<String> shown = fields.isEmpty() ? TrackText.LINE_FIELDS : Set.copyOf(fields);
		for (int i = 0; i < window.items().size(); i++) {
			text.add(TrackText.line(offset + i + 1, window.items().get(i), shown));
		}
		return result(text.toString(), page);
	}

	private CallToolResult search(Caller caller, Map<String, Object> arguments) {
		TrackSearch search = TrackSearch.of(string(arguments, "query"), string(arguments, "artist"),
				string(arguments, "addedAfter"), string(arguments, "addedBefore"));
		int offset = integer(arguments, "offset", 0);
		int limit = integer(arguments, "limit", 50);
		List<Track> items = new ArrayList<>();
		int[] matches = new int[1];
		Library.Copy summary = this.library.each(caller.accountId(), track -> {
			if (search.matches(track)) {
				if (matches[0] >= offset && items.size() < limit) {
					items.add(track);
				}
				matches[0]++;
			}
		});
		int end = offset + items.size();
		TracksPage page = new TracksPage(matches[0], offset, items, (end < matches[0]) ? end : null, summary.syncedAt(),
				stale(summary));
		StringJoiner text = new StringJoiner("\n");
		String found = matches[0] + " of " + summary.total() + " saved tracks match";
		if (items.isEmpty()) {
			text.add(found + ((matches[0] > 0) ? "; none from offset " + offset + "." : "."));
		}
		else {
			text.add(found + ", most recently saved first; these are " + (offset + 1) + "-" + end + "."
					+ ((page.nextOffset() != null) ? " More: call again with offset " + page.nextOffset() + "." : ""));
		}
		staleNote(summary).ifPresent(text::add);
		for (int i = 0; i < items.size(); i++) {
			text.add(TrackText.line(offset + i + 1, items.get(i), TrackText.LINE_FIELDS));
		}
		return result(text.toString(), page);
	}

	private CallToolResult stats(Caller caller, Map<String, Object> arguments) {
		LibraryStats stats = new LibraryStats();
		Library.Copy summary = this.library.each(caller.accountId(), stats);
		LibraryStats.Result result = stats.result(summary, integer(arguments, "top", 10));
		StringJoiner text = new StringJoiner("\n");
		text.add(result.total() + " saved tracks" + ((result.lastSyncedAt() != null)
				? ", last synced with Spotify at " + result.lastSyncedAt() + "." : "."));
		staleNote(summary).ifPresent(text::add);
		if (result.newest() != null && result.oldest() != null) {
			text.add("Most recently saved: " + TrackText.title(result.newest()) + " (" + result.newest().addedAt()
					+ "). First saved: " + TrackText.title(result.oldest()) + " (" + result.oldest().addedAt() + ").");
		}
		StringJoiner artists = new StringJoiner(", ", "Most saved artists: ", ".");
		result.topArtists().forEach(a -> artists.add(a.name() + " (" + a.count() + ")"));
		if (!result.topArtists().isEmpty()) {
			text.add(artists.toString());
		}
		StringJoiner years = new StringJoiner(", ", "Saved per year: ", ".");
		result.savedPerYear().forEach((year, count) -> years.add(year + ": " + count));
		if (!result.savedPerYear().isEmpty()) {
			text.add(years.toString());
		}
		return result(text.toString(), result);
	}

	private ReadResourceResult csv(McpTransportContext context, ReadResourceRequest request) {
		Caller caller = Caller.of(context);
		ByteArrayOutputStream csv = new ByteArrayOutputStream(64 * 1024);
		try {
			this.library.csv(caller.accountId(), csv);
		}
		catch (RuntimeException ex) {
			throw LibraryUnavailable.of(ex, caller).protocolError();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return ReadResourceResult
			.builder(List.of(TextResourceContents.builder(CSV_URI, csv.toString(StandardCharsets.UTF_8))
				.mimeType("text/csv")
				.build()))
			.build();
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

	private static CallToolResult result(String text, Object structured) {
		return CallToolResult.builder().addTextContent(text).structuredContent(structured).build();
	}

	/** The fields asked for, in the order of {@link Track}'s JSON. */
	private static Map<String, @Nullable Object> only(List<String> fields, Track track) {
		return track.only(Set.copyOf(fields));
	}

	private static @Nullable String stale(Library.Copy summary) {
		return (summary.stale() != null) ? summary.stale().slug() : null;
	}

	private static Optional<String> staleNote(Library.Copy summary) {
		if (summary.stale() == null) {
			return Optional.empty();
		}
		return Optional.of("Note: this is the copy synced at " + summary.syncedAt()
				+ "; Spotify could not be asked for changes just now (" + summary.stale().slug() + ").");
	}

	// The SDK has checked the arguments against the input schema: types and ranges hold.

	private static int integer(Map<String, Object> arguments, String name, int fallback) {
		return (arguments.get(name) instanceof Number number) ? number.intValue() : fallback;
	}

	private static @Nullable String string(Map<String, Object> arguments, String name) {
		return (arguments.get(name) instanceof String text) ? text : null;
	}

	private static List<String> strings(Map<String, Object> arguments, String name) {
		if (!(arguments.get(name) instanceof List<?> values)) {
			return List.of();
		}
		return values.stream().map(String::valueOf).toList();
	}

	/** A tool's work, once the caller is known. */
	@FunctionalInterface
	private interface ToolHandler {

		CallToolResult call(Caller caller, Map<String, Object> arguments);

	}

	/** The answer of {@code get_saved_tracks} and {@code search_saved_tracks}. */
	record TracksPage(int total, int offset, List<?> items, @Nullable Integer nextOffset, @Nullable Instant syncedAt,
			@Nullable String stale) {
	}

}
