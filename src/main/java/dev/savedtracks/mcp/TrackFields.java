package dev.savedtracks.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Track;

/**
 * The fields a tool can be asked for ({@code fields}), driven by one list: the order of
 * {@link Track}'s JSON, which every format of the service shares. A field added to the
 * track is offered by every tool, in its place, without a change here.
 */
final class TrackFields {

	/** Every field of a track, in the order of its JSON. */
	static final List<String> ALL = Track.FIELDS;

	private TrackFields() {
	}

	/** The fields as a JSON array of strings, for the {@code enum} of a tool's schema. */
	static String schemaEnum() {
		return ALL.stream().map(field -> "\"" + field + "\"").collect(Collectors.joining(", ", "[", "]"));
	}

	/** {@code track}, or only its {@code fields} in the order of {@link #ALL}. */
	static Object only(Set<String> fields, @Nullable Track track, JsonMapper json) {
		if (fields.isEmpty() || track == null) {
			return (track != null) ? track : Map.of();
		}
		JsonNode whole = json.valueToTree(track);
		Map<String, @Nullable Object> item = new LinkedHashMap<>();
		for (String field : ALL) {
			if (fields.contains(field)) {
				JsonNode value = whole.get(field);
				item.put(field, (value == null || value.isNull()) ? null : json.treeToValue(value, Object.class));
			}
		}
		return item;
	}

	/** The fields asked for, checked against the list (the schema checks them too). */
	static Set<String> of(List<String> asked) {
		for (String field : asked) {
			if (!ALL.contains(field)) {
				throw new TrackSearch.InvalidArguments(
						"fields may hold only " + String.join(", ", ALL) + "; not " + TrackText.oneLine(field) + ".");
			}
		}
		return Set.copyOf(asked);
	}

}
