package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

import static dev.savedtracks.mcp.ToolAnswers.integer;
import static dev.savedtracks.mcp.ToolAnswers.string;
import static dev.savedtracks.mcp.ToolAnswers.strings;

/**
 * {@code get_saved_tracks} and {@code search_saved_tracks}: pages of tracks, with the
 * fields asked for, as lines of text and as structured content, cut short where the
 * result would outgrow what clients accept, and continued with a cursor bound to the copy
 * read.
 */
final class TrackListings {

	static final String GET = "get_saved_tracks";

	static final String SEARCH = "search_saved_tracks";

	private final Library library;

	private final JsonMapper json;

	TrackListings(Library library, JsonMapper json) {
		this.library = library;
		this.json = json;
	}

	CallToolResult savedTracks(Caller caller, Map<String, Object> arguments) {
		String question = Cursor.question(GET, arguments);
		Cursor cursor = cursor(arguments, question);
		int offset = (cursor != null) ? cursor.offset() : integer(arguments, "offset", 0);
		Set<String> fields = TrackFields.of(strings(arguments, "fields"));
		Library.Tracks window = this.library.window(caller.accountId(), offset, integer(arguments, "limit", 50));
		Library.Copy copy = window.copy();
		if (cursor != null && !cursor.readsFrom(copy)) {
			return ToolAnswers.error(Cursor.changed(copy));
		}
		return page(copy, copy.total(), offset, window.items(), fields, question, (shown, end, more) -> {
			if (shown == 0) {
				return "No saved tracks from offset " + offset + ": the library holds " + copy.total() + ".";
			}
			return "Saved tracks " + (offset + 1) + "-" + end + " of " + copy.total() + ", most recently saved first. "
					+ (more ? "More: call again with cursor nextCursor (or offset " + end + ")." : "That is the end.");
		});
	}

	CallToolResult search(Caller caller, Map<String, Object> arguments) {
		TrackSearch search = TrackSearch.of(arguments);
		TrackOrder order = TrackOrder.of(arguments);
		String question = Cursor.question(SEARCH, arguments);
		Cursor cursor = cursor(arguments, question);
		int offset = (cursor != null) ? cursor.offset() : integer(arguments, "offset", 0);
		int limit = integer(arguments, "limit", 50);
		Set<String> fields = TrackFields.of(strings(arguments, "fields"));
		List<Track> items = new ArrayList<>();
		int[] matches = new int[1];
		Library.Copy copy;
		if (order.isLibraryOrder()) {
			copy = this.library.each(caller.accountId(), SearchableTrack.DERIVED, (track, searchable) -> {
				if (search.matches(track, searchable)) {
					if (matches[0] >= offset && items.size() < limit) {
						items.add(track);
					}
					matches[0]++;
				}
			});
		}
		else {
			TrackOrder.Top top = order.top(offset + limit);
			copy = this.library.each(caller.accountId(), SearchableTrack.DERIVED, (track, searchable) -> {
				if (search.matches(track, searchable)) {
					top.add(track);
					matches[0]++;
				}
			});
			items.addAll(top.from(offset));
		}
		if (cursor != null && !cursor.readsFrom(copy)) {
			return ToolAnswers.error(Cursor.changed(copy));
		}
		String filters = search.describe();
		String sorted = order.isLibraryOrder() ? "most recently saved first"
				: "sorted by " + order.sort() + (order.descending() ? " (descending)" : "");
		return page(copy, matches[0], offset, items, fields, question, (shown, end, more) -> {
			String found = matches[0] + " of " + copy.total() + " saved tracks"
					+ (filters.isEmpty() ? "" : " (" + filters + ")");
			if (shown == 0) {
				return found + ((matches[0] > 0) ? "; none from offset " + offset + "." : ".");
			}
			return found + ", " + sorted + "; these are " + (offset + 1) + "-" + end + "."
					+ (more ? " More: call again with cursor nextCursor (or offset " + end + ")." : "");
		});
	}

	/**
	 * The page of {@code items} (the tracks from {@code offset} of {@code total}), as
	 * many as fit in a result.
	 */
	private CallToolResult page(Library.Copy copy, int total, int offset, List<Track> items, Set<String> fields,
			String question, Header header) {
		Set<String> shown = fields.isEmpty() ? TrackText.LINE_FIELDS : fields;
		List<Object> kept = new ArrayList<>(items.size());
		List<String> lines = new ArrayList<>(items.size());
		int size = 0;
		for (Track track : items) {
			Object item = TrackFields.only(fields, track, this.json);
			String line = TrackText.line(offset + kept.size() + 1, track, shown);
			size += this.json.writeValueAsString(item).length() + line.length() + 2;
			if (size > ToolAnswers.MAX_RESULT_CHARS && !kept.isEmpty()) {
				break;
			}
			kept.add(item);
			lines.add(line);
		}
		int end = offset + kept.size();
		boolean more = end < total;
		boolean cut = kept.size() < items.size();
		TracksPage page = new TracksPage(total, offset, kept, more ? end : null,
				more ? Cursor.next(copy, end, question).text() : null, copy.syncedAt(), ToolAnswers.stale(copy));
		StringJoiner text = new StringJoiner("\n");
		text.add(header.text(kept.size(), end, more));
		if (cut) {
			text.add("(Only " + kept.size() + " tracks fit in one answer; ask for fewer fields to get more at once.)");
		}
		ToolAnswers.staleNote(copy).ifPresent(text::add);
		lines.forEach(text::add);
		return ToolAnswers.result(text.toString(), page);
	}

	private static @Nullable Cursor cursor(Map<String, Object> arguments, String question) {
		String text = string(arguments, "cursor");
		if (text == null || text.isBlank()) {
			return null;
		}
		if (arguments.containsKey("offset")) {
			throw new TrackSearch.InvalidArguments("Pass either cursor or offset, not both.");
		}
		return Cursor.parse(text.trim(), question);
	}

	/** The first line of a page's text. */
	@FunctionalInterface
	private interface Header {

		String text(int shown, int end, boolean more);

	}

	/** The answer of {@code get_saved_tracks} and {@code search_saved_tracks}. */
	record TracksPage(int total, int offset, List<?> items, @Nullable Integer nextOffset, @Nullable String nextCursor,
			@Nullable Instant syncedAt, @Nullable String stale) {
	}

}
