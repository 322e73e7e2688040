package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Library;

import static dev.savedtracks.mcp.ToolAnswers.string;

/**
 * {@code export_library}: a short-lived link that downloads the caller's whole library as
 * a file, instead of megabytes of CSV in the agent's context. The link works without a
 * credential until it expires, so the answer says to hand it only to the person.
 */
final class LibraryExport {

	static final String TOOL = "export_library";

	private final Library library;

	LibraryExport(Library library) {
		this.library = library;
	}

	CallToolResult export(Caller caller, Map<String, Object> arguments) {
		String format = (string(arguments, "format") != null) ? string(arguments, "format") : "csv";
		@Nullable Integer tracks = this.library.status(caller.accountId()).map(Library.Status::total).orElse(null);
		Library.DownloadLink link = this.library.downloadLink(caller.accountId(), format);
		String url = caller.baseUrl() + link.path();
		String text = "Download link for the whole library" + ((tracks != null) ? " (" + tracks + " tracks" : " (")
				+ ", " + format.toUpperCase(java.util.Locale.ROOT) + "): " + url + "\nIt works until "
				+ link.expiresAt() + " for anyone who has it, without signing in: give it only to the person "
				+ "whose library it is. After that, ask for a new one.";
		return ToolAnswers.result(text, new Export(url, format, link.expiresAt(), tracks));
	}

	/** The answer of {@code export_library}. */
	record Export(String url, String format, Instant expiresAt, @Nullable Integer tracks) {
	}

}
