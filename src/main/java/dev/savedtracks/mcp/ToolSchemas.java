package dev.savedtracks.mcp;

import java.util.stream.Collectors;

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

	static final String GET_SAVED_TRACKS_INPUT = """
			{"type": "object",
			 "properties": {
			  "offset": %s,
			  "limit": %s,
			  "fields": {"type": "array", "uniqueItems": true,
			   "items": {"enum": %s},
			   "description": "Only these fields of each track (default: all). Fewer fields make a long listing \
			cheaper to read."}
			 },
			 "additionalProperties": false}""".formatted(OFFSET, LIMIT, fieldNames());

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
			  %s
			 },
			 "required": ["total", "offset", "items", "nextOffset"]}""".formatted(TRACK, LIBRARY_STATE);

	static final String SEARCH_INPUT = """
			{"type": "object",
			 "properties": {
			  "query": {"type": "string", "maxLength": 200, "description": "Words to find in the title, the artists' \
			names or the album's name; each word must appear in one of them. Case and accents are ignored \
			(\\"beyonce\\" finds \\"Beyoncé\\"). Leave it out to filter by artist or date only."},
			  "artist": {"type": "string", "maxLength": 200, "description": "Only tracks with an artist whose name \
			contains this (case and accents ignored)."},
			  "addedAfter": {"type": "string", "maxLength": 40, "description": "Only tracks saved at or after this \
			date (2019-05-31; 2019 or 2019-05 for the start of a year or month) or instant (2019-05-31T12:00:00Z). \
			Dates are UTC."},
			  "addedBefore": {"type": "string", "maxLength": 40, "description": "Only tracks saved before this date or \
			instant: addedAfter 2019 with addedBefore 2020 gives the tracks saved in 2019."},
			  "offset": %s,
			  "limit": %s
			 },
			 "additionalProperties": false}""".formatted(OFFSET, LIMIT);

	static final String STATS_INPUT = """
			{"type": "object",
			 "properties": {
			  "top": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10,
			   "description": "How many of the most saved artists to list."}
			 },
			 "additionalProperties": false}""";

	static final String STATS_OUTPUT = """
			{"type": "object",
			 "properties": {
			  "total": {"type": "integer"},
			  "lastSyncedAt": {"type": ["string", "null"]},
			  "stale": {"type": ["string", "null"], "description": "null when the copy is confirmed up to date; \
			otherwise why Spotify could not be asked just now"},
			  "topArtists": {"type": "array", "items": {"type": "object", "properties": {
			   "name": {"type": "string"}, "count": {"type": "integer", "description": "Saved tracks crediting them"}},
			   "required": ["name", "count"]}},
			  "savedPerYear": {"type": "object", "additionalProperties": {"type": "integer"},
			   "description": "Tracks saved in each year (UTC), by year"},
			  "oldest": {"anyOf": [%s, {"type": "null"}], "description": "The first track ever saved"},
			  "newest": {"anyOf": [%s, {"type": "null"}], "description": "The most recently saved track"}
			 },
			 "required": ["total", "lastSyncedAt", "stale", "topArtists", "savedPerYear", "oldest", "newest"]}"""
		.formatted(TRACK, TRACK);

	private ToolSchemas() {
	}

	/** {@link Track}'s fields as a JSON array of names, in their one order. */
	private static String fieldNames() {
		return Track.FIELDS.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", ", "[", "]"));
	}

}
