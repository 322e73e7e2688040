package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.Track;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JSON answer: the window's counts, then the cached tracks copied verbatim (that the
 * counts are {@code SavedTracksResponse}'s fields in its order is tested with it).
 */
class JsonTracksTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private final JsonTracks format = new JsonTracks(this.json);

	/**
	 * 100 tracks served of 110 counted: 3 sent without a track, 2 twice, so 5
	 * unavailable.
	 */
	private final Head head = new Head(100, 110, 3, 2, 7, 42, 0, 100, Instant.parse("2026-11-27T10:00:00.123Z"), null,
			null, null, 0, null, null);

	@Test
	void tracksAreCopiedVerbatimAcrossChunks() throws IOException {
		List<String> rows = List.of("{\"id\" : \"a\",  \"name\":\"Caf\\u00e9\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}");

		String answer = write(LibraryFixtures.open("alice", this.head, 0, 3), LibraryFixtures.rows(rows, 2));

		assertThat(answer).contains("\"items\":[" + String.join(",", rows) + "]}");
	}

	@Test
	void emptyWindowHasNoItems() throws IOException {
		String answer = write(LibraryFixtures.open("alice", this.head, 100, 10), List.of());

		assertThat(this.json.readTree(answer).get("items").isEmpty()).isTrue();
		assertThat(this.json.readTree(answer).get("offset").asInt()).isEqualTo(100);
	}

	@Test
	void libraryNeverSyncedHasANullSyncTime() throws IOException {
		Head unsynced = new Head(0, 0, 0, 0, 1, 42, 0, 0, null, null, null, null, 0, null, null);

		String answer = write(LibraryFixtures.open("alice", unsynced, 0, 10), List.of());

		assertThat(this.json.readTree(answer).get("syncedAt").isNull()).isTrue();
	}

	@Test
	void answerCutShortByAFailedReadIsNotWellFormed() {
		Rows failing = sink -> {
			sink.accept(List.of("{\"id\":\"a\"}"));
			throw new LibraryReader.CopyGone();
		};
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		assertThatExceptionOfType(LibraryReader.CopyGone.class)
			.isThrownBy(() -> this.format.write(LibraryFixtures.open("alice", this.head, 0, 2), failing, out));

		String written = out.toString(StandardCharsets.UTF_8);
		assertThat(written).as("nothing closes the items and the object").doesNotContain("]}");
	}

	private String write(OpenLibrary library, List<String> rows) throws IOException {
		return write(library, LibraryFixtures.rows(rows, Rows.CHUNK));
	}

	private String write(OpenLibrary library, Rows rows) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.format.write(library, rows, out);
		return out.toString(StandardCharsets.UTF_8);
	}

	private List<String> rows(String... ids) {
		return Arrays.stream(ids)
			.map(id -> this.json
				.writeValueAsString(new Track(id, "Track " + id, "spotify:track:" + id, "2024-05-01T10:00:00Z", 1000,
						false, null, List.of(new Track.ArtistRef("a", "Artist")), null, false)))
			.toList();
	}

}
