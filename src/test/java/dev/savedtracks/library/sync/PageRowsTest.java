package dev.savedtracks.library.sync;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Track;
import dev.savedtracks.library.store.TrackRow;
import dev.savedtracks.spotify.SavedTracksPage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rows one page of Spotify's saved tracks gives the cache: what is kept, what is left
 * out, and where.
 */
class PageRowsTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void itemsWithoutATrackAreLeftOutAndCounted() {
		SavedTracksPage page = page(120, item("a", "2024-05-01T10:00:00Z"),
				"{\"added_at\":\"2024-04-01T10:00:00Z\"," + "\"track\":null}", item("b", "2024-03-01T10:00:00Z"),
				"null");

		PageRows rows = PageRows.of(50, page, Instant.EPOCH, this.json);

		assertThat(rows.tracks()).extracting(TrackRow::key).containsExactly("a", "b");
		assertThat(rows.removed()).isEqualTo(2);
		assertThat(rows.duplicates()).isZero();
		assertThat(rows.offset()).isEqualTo(50);
		assertThat(rows.spotifyTotal()).isEqualTo(120);
	}

	@Test
	void trackListedTwiceInOnePageIsKeptOnceAndCounted() {
		SavedTracksPage page = page(3, item("a", "2024-05-01T10:00:00Z"), item("b", "2024-04-01T10:00:00Z"),
				item("a", "2024-03-01T10:00:00Z"));

		PageRows rows = PageRows.of(0, page, Instant.EPOCH, this.json);

		assertThat(rows.tracks()).extracting(TrackRow::key).containsExactly("a", "b");
		assertThat(rows.tracks().get(0).addedAt()).isEqualTo("2024-05-01T10:00:00Z");
		assertThat(rows.duplicates()).isEqualTo(1);
		assertThat(rows.removed()).isZero();
	}

	@Test
	void rowsKeepTheirIndexAmongThePagesItems() {
		SavedTracksPage page = page(4, "{\"track\":null}", item("a", "2024-05-01T10:00:00Z"),
				item("a", "2024-04-01T10:00:00Z"), item("b", "2024-03-01T10:00:00Z"));

		PageRows rows = PageRows.of(0, page, Instant.EPOCH, this.json);

		assertThat(rows.rows()).extracting(PageRows.Indexed::index).containsExactly(1, 3);
	}

	@Test
	void rowHoldsTheTracksJsonAndWhenItWasSaved() {
		SavedTracksPage page = page(1, item("a", "2024-05-01T12:00:00+02:00"));

		TrackRow row = PageRows.of(0, page, Instant.EPOCH, this.json).tracks().get(0);

		assertThat(row.addedAt()).isEqualTo("2024-05-01T10:00:00Z");
		assertThat(this.json.readValue(row.json(), Track.class))
			.isEqualTo(SavedItems.track(page.itemsOrEmpty().get(0)));
	}

	@Test
	void pageWithoutItemsGivesNoRows() {
		SavedTracksPage page = this.json.readValue("{\"total\":0}", SavedTracksPage.class);

		PageRows rows = PageRows.of(0, page, Instant.EPOCH, this.json);

		assertThat(rows.rows()).isEmpty();
		assertThat(List.of(rows.spotifyTotal(), rows.removed(), rows.duplicates())).containsOnly(0);
	}

	private SavedTracksPage page(int total, String... items) {
		return this.json.readValue("{\"total\":" + total + ",\"items\":[" + String.join(",", items) + "]}",
				SavedTracksPage.class);
	}

	private static String item(String id, String addedAt) {
		return "{\"added_at\":\"" + addedAt + "\",\"track\":{\"id\":\"" + id + "\",\"name\":\"Track " + id
				+ "\",\"uri\":\"spotify:track:" + id + "\"}}";
	}

}
