package dev.savedtracks.library.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.Track;
import dev.savedtracks.library.answer.JsonTracks;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.store.Head;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON answer's OpenAPI description is exactly what the JSON format writes: the same
 * fields, in the same order, with the same values.
 */
class SavedTracksResponseTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private final JsonTracks format = new JsonTracks(this.json);

	/**
	 * 100 tracks served of 110 counted: 3 sent without a track, 2 twice, so 5
	 * unavailable.
	 */
	private final Head head = new Head(100, 110, 3, 2, 7, 42, 0, 100, Instant.parse("2026-11-27T10:00:00.123Z"), null,
			null, null, 0, null, null);

	@Test
	void fieldsFollowTheResponseRecordsOrder() throws IOException {
		JsonNode answer = this.json.readTree(write(LibraryFixtures.open("alice", this.head, 0, 2), rows("a", "b")));

		assertThat(answer.propertyNames()).containsExactly(names(SavedTracksResponse.class));
		assertThat(answer.get("omitted").propertyNames()).containsExactly(names(SavedTracksResponse.Omitted.class));
	}

	@Test
	void answerIsWhatTheResponseRecordSerialisesTo() throws IOException {
		List<String> rows = rows("a", "b", "c");

		String answer = write(LibraryFixtures.open("alice", this.head, 40, 3), rows);

		SavedTracksResponse expected = new SavedTracksResponse(100, 110, new SavedTracksResponse.Omitted(5, 3, 2), 40,
				this.head.syncedAt(), rows.stream().map(row -> this.json.readValue(row, Track.class)).toList());
		assertThat(this.json.readTree(answer)).isEqualTo(this.json.valueToTree(expected));
	}

	private String write(OpenLibrary library, List<String> rows) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.format.write(library, LibraryFixtures.rows(rows, 500), out);
		return out.toString(StandardCharsets.UTF_8);
	}

	private List<String> rows(String... ids) {
		return Arrays.stream(ids)
			.map(id -> this.json
				.writeValueAsString(new Track(id, "Track " + id, "spotify:track:" + id, "2024-05-01T10:00:00Z", 1000,
						false, null, List.of(new Track.ArtistRef("a", "Artist")), null, false)))
			.toList();
	}

	private static String[] names(Class<? extends Record> type) {
		return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toArray(String[]::new);
	}

}
