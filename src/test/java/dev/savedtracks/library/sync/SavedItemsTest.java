package dev.savedtracks.library.sync;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Track;
import dev.savedtracks.spotify.SavedTracksPage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A saved item as this service returns it, and the key that identifies it in a library.
 */
class SavedItemsTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyFieldSpotifySendsIsKept() {
		SavedTracksPage.Item item = item("""
				{"added_at": "2024-05-01T10:00:00Z", "track": {"id": "4iV5W9uYEdYUVa79Axb7Rh", "name": "Song",
				 "uri": "spotify:track:4iV5W9uYEdYUVa79Axb7Rh", "duration_ms": 215000, "explicit": true,
				 "external_ids": {"isrc": "USUM71703861"}, "is_local": false,
				 "artists": [{"id": "a1", "name": "First"}, null, {"id": "a2", "name": "Second"}],
				 "album": {"id": "al", "name": "Album", "release_date": "2017",
				  "images": [null, {"url": null}, {"url": "https://i.scdn.co/image/large", "width": 640},
				   {"url": "https://i.scdn.co/image/small"}]}}}
				""");

		Track track = SavedItems.track(item);

		assertThat(track).isEqualTo(new Track("4iV5W9uYEdYUVa79Axb7Rh", "Song", "spotify:track:4iV5W9uYEdYUVa79Axb7Rh",
				"2024-05-01T10:00:00Z", 215000, true, "USUM71703861",
				List.of(new Track.ArtistRef("a1", "First"), new Track.ArtistRef("a2", "Second")),
				new Track.AlbumRef("al", "Album", "2017", "https://i.scdn.co/image/large"), false));
		assertThat(SavedItems.key(track)).isEqualTo("4iV5W9uYEdYUVa79Axb7Rh");
	}

	@Test
	void fieldsSpotifyLeavesOutAreNull() {
		Track track = SavedItems.track(item("{\"track\": {}}"));

		assertThat(track).isEqualTo(new Track(null, null, null, null, null, null, null, List.of(), null, false));
	}

	@Test
	void albumWithoutImagesHasNoImage() {
		Track track = SavedItems.track(item("{\"track\": {\"id\": \"t\", \"album\": {\"name\": \"Album\"}}}"));

		assertThat(track.album()).isEqualTo(new Track.AlbumRef(null, "Album", null, null));
	}

	@Test
	void itemWithoutATrackIsNoTrack() {
		assertThat(SavedItems.track(item("{\"added_at\": \"2024-05-01T10:00:00Z\", \"track\": null}"))).isNull();
	}

	@Test
	void saveTimeIsNormalisedToAnInstantInUtc() {
		assertThat(addedAt("2024-05-01T12:00:00+02:00")).isEqualTo("2024-05-01T10:00:00Z");
		assertThat(addedAt("2024-05-01T10:00:00.000Z")).isEqualTo("2024-05-01T10:00:00Z");
		assertThat(addedAt("2024-05-01T10:00:00.250Z")).isEqualTo("2024-05-01T10:00:00.250Z");
	}

	@Test
	void saveTimeThatIsNoInstantIsNull() {
		assertThat(addedAt("yesterday")).isNull();
		assertThat(addedAt("2024-05-01")).isNull();
		assertThat(addedAt("")).isNull();
	}

	@Test
	void localFileHasNoIdAndAKeyHashedFromItsUriAndSaveTime() {
		String longName = "x".repeat(1000);
		Track track = SavedItems.track(localFile(longName, "2024-05-01T10:00:00Z"));

		String key = SavedItems.key(track);

		assertThat(track.id()).isNull();
		assertThat(track.local()).isTrue();
		assertThat(track.name()).isEqualTo(longName);
		assertThat(key).startsWith("local:").hasSizeLessThanOrEqualTo(SavedItems.MAX_KEY_LENGTH);
		assertThat(key).isEqualTo(SavedItems.key(SavedItems.track(localFile(longName, "2024-05-01T10:00:00Z"))));
	}

	@Test
	void sameLocalFileSavedTwiceHasTwoKeys() {
		Track first = SavedItems.track(localFile("song", "2024-05-01T10:00:00Z"));
		Track second = SavedItems.track(localFile("song", "2024-06-01T10:00:00Z"));

		assertThat(SavedItems.key(first)).isNotEqualTo(SavedItems.key(second));
	}

	@Test
	void idTooLongForTheKeyColumnIsHashed() {
		Track track = SavedItems.track(item("{\"track\": {\"id\": \"" + "i".repeat(256) + "\"}}"));

		assertThat(SavedItems.key(track)).startsWith("local:").hasSizeLessThanOrEqualTo(SavedItems.MAX_KEY_LENGTH);
		assertThat(SavedItems.key(SavedItems.track(item("{\"track\": {\"id\": \"" + "i".repeat(255) + "\"}}"))))
			.isEqualTo("i".repeat(255));
	}

	@Test
	void jsonFieldsFollowTheRecordsOrder() {
		Track track = SavedItems.track(localFile("song", "2024-05-01T10:00:00Z"));

		List<String> names = List.copyOf(this.json.valueToTree(track).propertyNames());

		assertThat(names).containsExactly(java.util.Arrays.stream(Track.class.getRecordComponents())
			.map(c -> c.getName())
			.toArray(String[]::new));
	}

	private String addedAt(String text) {
		return SavedItems.track(item("{\"added_at\": \"" + text + "\", \"track\": {\"id\": \"t\"}}")).addedAt();
	}

	private SavedTracksPage.Item localFile(String name, String addedAt) {
		return item("{\"added_at\": \"" + addedAt + "\", \"track\": {\"id\": null, \"name\": \"" + name
				+ "\", \"uri\": \"spotify:local:Artist:Album:" + name + ":215\", \"is_local\": true, "
				+ "\"artists\": [{\"id\": null, \"name\": \"Artist\"}]}}");
	}

	private SavedTracksPage.Item item(String text) {
		return this.json.readValue(text, SavedTracksPage.Item.class);
	}

}
