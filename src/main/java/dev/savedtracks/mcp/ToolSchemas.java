package dev.savedtracks.mcp;

import dev.savedtracks.library.Track;

/**
 * The JSON Schemas (2020-12) of the tools' arguments and results. Arguments are checked
 * against them before a tool runs, and results after (by the SDK): a wrong argument is a
 * tool error that names it.
 */
final class ToolSchemas {

	/**
	 * A track as {@code GET /api/saved-tracks} serves it; with {@code fields}, only some
	 * of its properties.
	 */
	private static final String TRACK = """
			{"type": "object",
			 "properties": {
			  "id": {"type": ["string", "null"], "description": "Spotify track id (null for local files)"},
			  "name": {"type": ["string", "null"]},
			  "uri": {"type": ["string", "null"], "description": "spotify:track:... — what playlist tools take"},
			  "addedAt": {"type": ["string", "null"], "description": "When it was saved (ISO 8601, UTC)"},
			  "durationMs": {"type": ["integer", "null"]},
			  "explicit": {"type": ["boolean", "null"]},
			  "discNumber": {"type": ["integer", "null"]},
			  "trackNumber": {"type": ["integer", "null"], "description": "Position on its disc"},
			  "isrc": {"type": ["string", "null"]},
			  "artists": {"type": "array", "items": {"type": "object", "properties": {
			   "id": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]}}}},
			  "album": {"type": ["object", "null"], "properties": {
			   "id": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]},
			   "releaseDate": {"type": ["string", "null"]}, "imageUrl": {"type": ["string", "null"]},
			   "releaseDatePrecision": {"type": ["string", "null"], "description": "year, month or day"},
			   "type": {"type": ["string", "null"], "description": "album, single or compilation"},
			   "totalTracks": {"type": ["integer", "null"]},
			   "artists": {"type": ["array", "null"], "items": {"type": "object", "properties": {
			    "id": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]}}}}}},
			  "local": {"type": "boolean", "description": "A file from the person's own disk (no id)"}
			 }}""";

	private static final String OFFSET = """
			{"type": "integer", "minimum": 0, "maximum": 1000000, "default": 0,
			 "description": "Position of the first track to return (0: the first). To continue, pass the nextOffset \
			of the previous answer."}""";

	private static final String LIMIT = """
			{"type": "integer", "minimum": 1, "maximum": 500, "default": 50,
			 "description": "How many tracks to return at most (1-500)."}""";

	private static final String LIBRARY_STATE = """
			"syncedAt": {"type": ["string", "null"], "description": "When the copy was last synced with Spotify"},
			"stale": {"type": ["string", "null"], "description": "null when the copy is confirmed up to date; \
			otherwise why Spotify could not be asked just now (spotify-unavailable, spotify-rate-limited...): the \
			answer is the last synced copy"}""";

	private static final String CURSOR = """
			{"type": "string", "maxLength": 400, "description": "Where to go on: the nextCursor of the previous \
			answer, with the same other arguments. It is bound to the library as it was read: if the library changed \
			in between, the call fails (stale-cursor) instead of skipping or repeating tracks; start again without \
			it."}""";

	private static final String FIELDS = """
			{"type": "array", "uniqueItems": true, "items": {"enum": %s},
			 "description": "Only these fields of each track (default: all). Fewer fields make a long listing \
			cheaper to read and let more tracks fit in one answer."}""".formatted(TrackFields.schemaEnum());

	/** The filters every tool but get_saved_tracks takes, as properties of its input. */
	private static final String FILTERS = """
			  "query": {"type": "string", "maxLength": 200, "description": "Words to find in the title, the artists' \
			names or the album's name; each word must appear in one of them. Case and accents are ignored \
			(\\"beyonce\\" finds \\"Beyoncé\\")."},
			  "artist": {"type": "string", "maxLength": 200, "description": "Only tracks with an artist whose name \
			contains this (case and accents ignored)."},
			  "album": {"type": "string", "maxLength": 200, "description": "Only tracks of an album whose name \
			contains this (case and accents ignored)."},
			  "addedAfter": {"type": "string", "maxLength": 40, "description": "Only tracks saved at or after this \
			date (2019-05-31; 2019 or 2019-05 for the start of a year or month) or instant (2019-05-31T12:00:00Z). \
			Dates are UTC."},
			  "addedBefore": {"type": "string", "maxLength": 40, "description": "Only tracks saved before this date or \
			instant: addedAfter 2019 with addedBefore 2020 gives the tracks saved in 2019."},
			  "releaseDecade": {"type": "integer", "minimum": 1900, "maximum": 2100, "description": "Only tracks of \
			albums released in this decade, given by its first year (1990 for the 1990s)."},
			  "explicit": {"type": "boolean", "description": "Only explicit tracks (true) or only the others \
			(false)."}""";

	static final String GET_SAVED_TRACKS_INPUT = """
			{"type": "object",
			 "properties": {
			  "cursor": %s,
			  "offset": %s,
			  "limit": %s,
			  "fields": %s
			 },
			 "additionalProperties": false}""".formatted(CURSOR, OFFSET, LIMIT, FIELDS);

	/**
	 * The answer of get_saved_tracks and search_saved_tracks: a page of tracks, and where
	 * the next one starts.
	 */
	static final String TRACKS_PAGE_OUTPUT = """
			{"type": "object",
			 "properties": {
			  "total": {"type": "integer", "description": "Tracks in the whole library (get_saved_tracks), or \
			matching tracks in all (search_saved_tracks)"},
			  "offset": {"type": "integer"},
			  "items": {"type": "array", "items": %s},
			  "nextOffset": {"type": ["integer", "null"], "description": "Where the next page starts; null when there \
			is none"},
			  "nextCursor": {"type": ["string", "null"], "description": "Pass as cursor to get the next page of the \
			same copy of the library; null when there is none"},
			  %s
			 },
			 "required": ["total", "offset", "items", "nextOffset"]}""".formatted(TRACK, LIBRARY_STATE);

	static final String SEARCH_INPUT = """
			{"type": "object",
			 "properties": {
			%s,
			  "sort": {"enum": %s, "default": "savedAt", "description": "The order: when saved (default), title, \
			first artist, album, release date or length."},
			  "order": {"enum": ["asc", "desc"], "description": "Default: desc for savedAt, releaseDate and duration \
			(newest, longest first), asc for names."},
			  "cursor": %s,
			  "offset": %s,
			  "limit": %s,
			  "fields": %s
			 },
			 "additionalProperties": false}""".formatted(FILTERS, list(TrackOrder.SORTS), CURSOR, OFFSET, LIMIT,
			FIELDS);

	static final String STATS_INPUT = """
			{"type": "object",
			 "properties": {
			%s,
			  "top": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10,
			   "description": "How many of the most saved artists and albums to list."},
			  "savedPer": {"enum": ["year", "month"], "default": "year", "description": "Count saves per year \
			(always) and also per month (month)."},
			  "fields": %s
			 },
			 "additionalProperties": false}""".formatted(FILTERS, FIELDS);

	static final String COUNTS_INPUT = """
			{"type": "object",
			 "properties": {
			%s,
			  "cursor": %s,
			  "offset": {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 0},
			  "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
			 },
			 "additionalProperties": false}""".formatted(FILTERS, CURSOR);

	private static final String COUNT = """
			{"type": "object", "properties": {"name": {"type": "string"}, "artist": {"type": ["string", "null"]},
			 "count": {"type": "integer", "description": "Saved tracks"}}, "required": ["name", "count"]}""";

	static final String COUNTS_OUTPUT = """
			{"type": "object",
			 "properties": {
			  "total": {"type": "integer", "description": "How many there are in all"},
			  "offset": {"type": "integer"},
			  "items": {"type": "array", "items": %s},
			  "nextOffset": {"type": ["integer", "null"]},
			  "nextCursor": {"type": ["string", "null"]},
			  %s
			 },
			 "required": ["total", "offset", "items", "nextOffset"]}""".formatted(COUNT, LIBRARY_STATE);

	static final String STATS_OUTPUT = """
			{"type": "object",
			 "properties": {
			  "total": {"type": "integer", "description": "Tracks that pass the filters (all without filters)"},
			  "libraryTotal": {"type": "integer"},
			  "filters": {"type": "string"},
			  "lastSyncedAt": {"type": ["string", "null"]},
			  "stale": {"type": ["string", "null"], "description": "null when the copy is confirmed up to date; \
			otherwise why Spotify could not be asked just now"},
			  "topArtists": {"type": "array", "items": %s},
			  "topAlbums": {"type": "array", "items": %s},
			  "savedPerYear": {"type": "object", "additionalProperties": {"type": "integer"},
			   "description": "Tracks saved in each year (UTC), by year"},
			  "savedPerMonth": {"type": ["object", "null"], "additionalProperties": {"type": "integer"}},
			  "releaseDecades": {"type": "object", "additionalProperties": {"type": "integer"},
			   "description": "Tracks by the decade their album was released (1990s...)"},
			  "oldest": {"anyOf": [%s, {"type": "null"}], "description": "The first track saved"},
			  "newest": {"anyOf": [%s, {"type": "null"}], "description": "The most recently saved track"}
			 },
			 "required": ["total", "lastSyncedAt", "stale", "topArtists", "savedPerYear", "oldest", "newest"]}"""
		.formatted(COUNT, COUNT, TRACK, TRACK);

	static final String EXPORT_INPUT = """
			{"type": "object",
			 "properties": {
			  "format": {"enum": ["csv", "ndjson", "json"], "default": "csv", "description": "csv (a spreadsheet: RFC \
			4180 with a header row), ndjson (one JSON track a line) or json (one document)."}
			 },
			 "additionalProperties": false}""";

	static final String EXPORT_OUTPUT = """
			{"type": "object",
			 "properties": {
			  "url": {"type": "string", "description": "Downloads the whole library, without signing in, until \
			expiresAt"},
			  "format": {"type": "string"},
			  "expiresAt": {"type": "string"},
			  "tracks": {"type": ["integer", "null"], "description": "Tracks in the library as last synced"}
			 },
			 "required": ["url", "format", "expiresAt"]}""";

	private static String list(java.util.List<String> values) {
		return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
	}

	private ToolSchemas() {
	}

}
