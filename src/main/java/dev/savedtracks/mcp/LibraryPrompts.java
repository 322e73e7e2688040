package dev.savedtracks.mcp;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.jspecify.annotations.Nullable;

/**
 * Prompts for the questions people ask most, as an MCP client offers them (a slash
 * command or a menu): each is a request in the person's words that names the tools and
 * arguments that answer it. And the icon the server and its tools show: an SVG data URI,
 * so that it needs no public URL.
 */
final class LibraryPrompts {

	private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">"
			+ "<circle cx=\"32\" cy=\"32\" r=\"32\" fill=\"#1DB954\"/>"
			+ "<path d=\"M26 15v23.3a7 7 0 1 0 4 6.2V25h13v-10z\" fill=\"#fff\"/></svg>";

	/** The service's icon: a white note on Spotify green. */
	static final List<McpSchema.Icon> ICONS = List.of(McpSchema.Icon
		.builder("data:image/svg+xml;base64,"
				+ Base64.getEncoder().encodeToString(SVG.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
		.mimeType("image/svg+xml")
		.sizes(List.of("any"))
		.build());

	private LibraryPrompts() {
	}

	static List<SyncPromptSpecification> prompts() {
		return List.of(prompt("saved_in_year", "What did I save in a year?",
				List.of(new PromptArgument("year", "Year", "A year, such as 2019", true)), arguments -> {
					int year = year(arguments.get("year"));
					return "What did I save in " + year + "? Use library_stats with addedAfter " + year
							+ " and addedBefore " + (year + 1) + " and savedPer month for an overview (how many, top "
							+ "artists and albums, month by month), then search_saved_tracks with the same dates to "
							+ "list the tracks.";
				}),
				prompt("top_artists", "My most saved artists",
						List.of(new PromptArgument("year", "Year", "Only tracks saved in this year (optional)", false)),
						arguments -> {
							String year = arguments.get("year");
							if (year == null || year.isBlank()) {
								return "Who are my most saved artists? Use library_stats with top 20, and "
										+ "list_saved_artists for the full list.";
							}
							int from = year(year);
							return "Who are my most saved artists of the tracks I saved in " + from
									+ "? Use library_stats with addedAfter " + from + ", addedBefore " + (from + 1)
									+ " and top 20.";
						}),
				prompt("find_by_artist", "Find my saved songs by an artist", List
					.of(new PromptArgument("artist", "Artist", "The artist's name (part of it is enough)", true)),
						arguments -> {
							String artist = TrackText.oneLine(arguments.get("artist")).trim();
							if (artist.isEmpty() || artist.length() > 200) {
								throw invalid("artist must be a name of 1 to 200 characters.");
							}
							return "Find my saved songs by " + artist + ": use search_saved_tracks with artist \""
									+ artist + "\" (sort by savedAt, newest first), and tell me how many there are.";
						}),
				prompt("export_library", "Export my library", List.of(),
						arguments -> "Give me a copy of my whole library as a spreadsheet: call "
								+ "export_library (format csv) and give me the download link, with when it expires."));
	}

	private static SyncPromptSpecification prompt(String name, String title, List<PromptArgument> arguments,
			Function<Map<String, @Nullable String>, String> text) {
		McpSchema.Prompt prompt = new McpSchema.Prompt(name, title, title + " (from your saved tracks)", arguments,
				null, ICONS);
		return new SyncPromptSpecification(prompt, (context, request) -> {
			Map<String, @Nullable String> given = new java.util.HashMap<>();
			if (request.arguments() != null) {
				request.arguments().forEach((key, value) -> given.put(key, (value != null) ? value.toString() : null));
			}
			return new GetPromptResult(title,
					List.of(new PromptMessage(McpSchema.Role.USER, new TextContent(text.apply(given)))));
		});
	}

	private static int year(@Nullable String text) {
		if (text == null || !text.trim().matches("(19|20)\\d\\d")) {
			throw invalid("year must be a year such as 2019.");
		}
		return Integer.parseInt(text.trim());
	}

	private static McpError invalid(String message) {
		return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
	}

}
