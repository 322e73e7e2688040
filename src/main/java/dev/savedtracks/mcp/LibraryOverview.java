package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Library;

import static dev.savedtracks.mcp.ToolAnswers.integer;
import static dev.savedtracks.mcp.ToolAnswers.string;
import static dev.savedtracks.mcp.ToolAnswers.strings;

/**
 * {@code library_stats}, {@code list_saved_artists} and {@code list_saved_albums}: the
 * library counted in one pass ({@link LibraryStats}), with the same filters as the
 * search.
 */
final class LibraryOverview {

	static final String STATS = "library_stats";

	static final String ARTISTS = "list_saved_artists";

	static final String ALBUMS = "list_saved_albums";

	private final Library library;

	private final JsonMapper json;

	LibraryOverview(Library library, JsonMapper json) {
		this.library = library;
		this.json = json;
	}

	CallToolResult stats(Caller caller, Map<String, Object> arguments) {
		LibraryStats stats = new LibraryStats(TrackSearch.of(arguments));
		Set<String> fields = TrackFields.of(strings(arguments, "fields"));
		boolean perMonth = "month".equals(string(arguments, "savedPer"));
		Library.Copy copy = this.library.each(caller.accountId(), SearchableTrack.DERIVED, stats::accept);
		LibraryStats.Result result = stats.result(copy, integer(arguments, "top", 10), perMonth);
		StringJoiner text = new StringJoiner("\n");
		text.add(result.total() + " saved tracks"
				+ (result.filters().isEmpty() ? ""
						: " (" + result.filters() + ", of " + result.libraryTotal() + " in all)")
				+ ((result.lastSyncedAt() != null) ? ", last synced with Spotify at " + result.lastSyncedAt() + "."
						: "."));
		ToolAnswers.staleNote(copy).ifPresent(text::add);
		if (result.newest() != null && result.oldest() != null) {
			text.add("Most recently saved: " + TrackText.title(result.newest()) + " ("
					+ TrackText.oneLine(result.newest().addedAt()) + "). First saved: "
					+ TrackText.title(result.oldest()) + " (" + TrackText.oneLine(result.oldest().addedAt()) + ").");
		}
		list(text, "Most saved artists: ", result.topArtists(),
				a -> TrackText.oneLine(a.name()) + " (" + a.count() + ")");
		list(text, "Most saved albums: ", result.topAlbums(), a -> TrackText.oneLine(a.name())
				+ ((a.artist() != null) ? " by " + TrackText.oneLine(a.artist()) : "") + " (" + a.count() + ")");
		list(text, "Saved per year: ", List.copyOf(result.savedPerYear().entrySet()),
				e -> e.getKey() + ": " + e.getValue());
		if (result.savedPerMonth() != null) {
			list(text, "Saved per month: ", List.copyOf(result.savedPerMonth().entrySet()),
					e -> e.getKey() + ": " + e.getValue());
		}
		list(text, "Release decades: ", List.copyOf(result.releaseDecades().entrySet()),
				e -> e.getKey() + ": " + e.getValue());
		return ToolAnswers.result(text.toString(), new StatsAnswer(result, fields, this.json));
	}

	CallToolResult artists(Caller caller, Map<String, Object> arguments) {
		return counted(caller, arguments, ARTISTS, "artists", LibraryStats::artists,
				a -> TrackText.oneLine(a.name()) + " (" + a.count() + ")");
	}

	CallToolResult albums(Caller caller, Map<String, Object> arguments) {
		return counted(caller, arguments, ALBUMS, "albums", LibraryStats::albums, a -> TrackText.oneLine(a.name())
				+ ((a.artist() != null) ? " by " + TrackText.oneLine(a.artist()) : "") + " (" + a.count() + ")");
	}

	private <T> CallToolResult counted(Caller caller, Map<String, Object> arguments, String tool, String what,
			Function<LibraryStats, List<T>> counts, Function<T, String> line) {
		TrackSearch filter = TrackSearch.of(arguments);
		String question = Cursor.question(tool, arguments);
		Cursor cursor = null;
		String cursorText = string(arguments, "cursor");
		if (cursorText != null && !cursorText.isBlank()) {
			cursor = Cursor.parse(cursorText.trim(), question);
		}
		int offset = (cursor != null) ? cursor.offset() : integer(arguments, "offset", 0);
		int limit = integer(arguments, "limit", 100);
		LibraryStats stats = new LibraryStats(filter);
		Library.Copy copy = this.library.each(caller.accountId(), SearchableTrack.DERIVED, stats::accept);
		if (cursor != null && !cursor.readsFrom(copy)) {
			return ToolAnswers.error(Cursor.changed(copy));
		}
		List<T> all = counts.apply(stats);
		List<T> window = all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit));
		List<T> items = new ArrayList<>(window.size());
		List<String> lines = new ArrayList<>(window.size());
		int size = 0;
		for (T item : window) {
			String shown = (offset + items.size() + 1) + ". " + line.apply(item);
			size += shown.length() + this.json.writeValueAsString(item).length() + 2;
			if (size > ToolAnswers.MAX_RESULT_CHARS && !items.isEmpty()) {
				break;
			}
			items.add(item);
			lines.add(shown);
		}
		int end = offset + items.size();
		boolean more = end < all.size();
		StringJoiner text = new StringJoiner("\n");
		String filters = filter.describe();
		text.add(all.size() + " " + what + " on " + stats.matching() + " saved tracks"
				+ (filters.isEmpty() ? "" : " (" + filters + ")") + ", the most saved first"
				+ (items.isEmpty() ? "." : "; these are " + (offset + 1) + "-" + end + ".")
				+ (more ? " More: call again with cursor nextCursor." : ""));
		ToolAnswers.staleNote(copy).ifPresent(text::add);
		lines.forEach(text::add);
		return ToolAnswers.result(text.toString(), new CountsPage(all.size(), offset, items, more ? end : null,
				more ? Cursor.next(copy, end, question).text() : null, copy.syncedAt(), ToolAnswers.stale(copy)));
	}

	private static <T> void list(StringJoiner text, String title, List<T> values, Function<T, String> item) {
		if (values.isEmpty()) {
			return;
		}
		StringJoiner joined = new StringJoiner(", ", title, ".");
		values.forEach(value -> joined.add(item.apply(value)));
		text.add(joined.toString());
	}

	/** The answer of {@code list_saved_artists} and {@code list_saved_albums}. */
	record CountsPage(int total, int offset, List<?> items, @Nullable Integer nextOffset, @Nullable String nextCursor,
			@Nullable Instant syncedAt, @Nullable String stale) {
	}

	/**
	 * The answer of {@code library_stats}, its newest and oldest tracks with the fields
	 * asked for.
	 */
	record StatsAnswer(int total, int libraryTotal, String filters, @Nullable Instant lastSyncedAt,
			@Nullable String stale, List<LibraryStats.TopArtist> topArtists, List<LibraryStats.TopAlbum> topAlbums,
			Map<String, Integer> savedPerYear, @Nullable Map<String, Integer> savedPerMonth,
			Map<String, Integer> releaseDecades, @Nullable Object oldest, @Nullable Object newest) {

		StatsAnswer(LibraryStats.Result result, Set<String> fields, JsonMapper json) {
			this(result.total(), result.libraryTotal(), result.filters(), result.lastSyncedAt(), result.stale(),
					result.topArtists(), result.topAlbums(), result.savedPerYear(), result.savedPerMonth(),
					result.releaseDecades(),
					(result.oldest() != null) ? TrackFields.only(fields, result.oldest(), json) : null,
					(result.newest() != null) ? TrackFields.only(fields, result.newest(), json) : null);
		}

	}

}
