package dev.savedtracks.library;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A window of a person's library. {@code total} is always the size of the whole library, whatever the window.
 * Items are kept as the JSON they were cached as, so serving thousands of tracks is a copy, not a re-encoding.
 */
record SavedTracksResponse(int total, int offset, @Nullable Instant syncedAt, List<CachedTrack> items) {

	/** One track's cached JSON (the shape of {@link Track}), written out verbatim. */
	@JsonSerialize(using = CachedTrack.Writer.class)
	@Schema(implementation = Track.class)
	record CachedTrack(String json) {

		/** Writes the cached JSON as it is. */
		static final class Writer extends ValueSerializer<CachedTrack> {

			@Override
			public void serialize(CachedTrack value, JsonGenerator gen, SerializationContext context) {
				gen.writeRawValue(value.json());
			}

		}

	}

}
