package dev.savedtracks.mcp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Library;

/**
 * What every tool's answer shares: its arguments read (the SDK has checked them against
 * the input schema, so types and ranges hold), the note on a stale copy, and the result
 * of a text and structured content that together stay under what clients accept.
 */
final class ToolAnswers {

	/**
	 * Characters a result may hold, its text and its structured content together: Claude
	 * caps a tool result near 150,000 characters; the rest is the envelope's margin.
	 */
	static final int MAX_RESULT_CHARS = 120_000;

	private ToolAnswers() {
	}

	static CallToolResult result(String text, Object structured) {
		return CallToolResult.builder().addTextContent(text).structuredContent(structured).build();
	}

	static CallToolResult error(String message) {
		return CallToolResult.builder().isError(true).addTextContent(message).build();
	}

	static @Nullable String stale(Library.Copy copy) {
		return (copy.stale() != null) ? copy.stale().slug() : null;
	}

	static Optional<String> staleNote(Library.Copy copy) {
		if (copy.stale() == null) {
			return Optional.empty();
		}
		return Optional.of("Note: this is the copy synced at " + copy.syncedAt()
				+ "; Spotify could not be asked for changes just now (" + copy.stale().slug() + ").");
	}

	static int integer(Map<String, Object> arguments, String name, int fallback) {
		return (arguments.get(name) instanceof Number number) ? number.intValue() : fallback;
	}

	static @Nullable String string(Map<String, Object> arguments, String name) {
		return (arguments.get(name) instanceof String text) ? text : null;
	}

	static List<String> strings(Map<String, Object> arguments, String name) {
		if (!(arguments.get(name) instanceof List<?> values)) {
			return List.of();
		}
		return values.stream().map(String::valueOf).toList();
	}

}
