package dev.savedtracks.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Proves that emulated libraries change and misbehave as real Spotify libraries do. */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the
// build.
@Timeout(10)
class LibraryScenariosTest {

	@RegisterExtension
	final RunningEmulator running = new RunningEmulator();

	@Test
	void generatedLibrariesAreDeterministicPerUserId() {
		try (SpotifyEmulator other = SpotifyEmulator.start()) {
			assertThat(other.user("alice").generateLibrary(30).library())
				.isEqualTo(this.running.emulator().user("alice").generateLibrary(30).library());
			assertThat(other.user("bob").generateLibrary(30).library().get(0).id())
				.isNotEqualTo(this.running.emulator().user("alice").library().get(0).id());
		}
	}

	@Test
	void savesGoToTheTopAndRemovalsShiftTheRest() {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(5);
		List<SavedTrack> before = user.library();

		user.saveNewTracks(2);
		List<SavedTrack> afterSave = user.library();
		assertThat(afterSave).hasSize(7);
		assertThat(afterSave.subList(2, 7)).isEqualTo(before);
		assertThat(afterSave.get(0).addedAt()).isAfter(afterSave.get(1).addedAt());
		assertThat(afterSave.get(1).addedAt()).isAfter(before.get(0).addedAt());
		assertThat(afterSave.get(0).name()).startsWith("Track 0007");

		user.saveTrack(before.get(3));
		assertThat(user.library()).hasSize(7);
		assertThat(user.library().get(0).id()).isEqualTo(before.get(3).id());
		assertThat(user.library().get(0).addedAt()).isAfter(afterSave.get(0).addedAt());

		user.removeTrackAt(1);
		assertThat(user.library()).hasSize(6);
		assertThat(user.library().get(1)).isEqualTo(afterSave.get(1));
	}

	// --- unavailable tracks: short pages
	// ------------------------------------------------------------------

	@Test
	void unavailableTracksAreLeftOutOfTheirPageButKeepTheirPositionsAndCountInTotal() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(120);
		List<SavedTrack> all = user.library();

		user.makeUnavailable(3, 49, 50, 119);

		JsonNode first = this.running.client().tracks("alice", 0, 50);
		assertThat(first.path("items").size()).isEqualTo(48);
		assertThat(first.path("total").asInt()).isEqualTo(120);
		assertThat(first.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(50, 50));
		assertThat(pageIds(first)).containsExactlyElementsOf(ids(without(all.subList(0, 50), 3, 49)));
		JsonNode second = this.running.client().tracks("alice", 50, 50);
		assertThat(second.path("items").size()).isEqualTo(49);
		assertThat(second.path("offset").asInt()).isEqualTo(50);
		assertThat(second.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(100, 50));
		assertThat(pageIds(second)).containsExactlyElementsOf(ids(all.subList(51, 100)));
		JsonNode last = this.running.client().tracks("alice", 100, 50);
		assertThat(last.path("items").size()).isEqualTo(19);
		assertThat(last.path("next").isNull()).isTrue();
		assertThat(user.library()).hasSize(120);
		assertThat(user.visibleLibrary()).hasSize(116).containsExactlyElementsOf(without(all, 3, 49, 50, 119));
	}

	@Test
	void everyNthUnavailableMakesEveryPageShortAndPagingByOffsetYieldsTheVisibleLibrary() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(200).makeEveryNthUnavailable(10);

		List<String> paged = new ArrayList<>();
		for (int offset = 0; offset < 200; offset += 50) {
			JsonNode page = this.running.client().tracks("alice", offset, 50);
			assertThat(page.path("items").size()).isEqualTo(45);
			assertThat(page.path("total").asInt()).isEqualTo(200);
			assertThat(page.path("next").isNull()).isEqualTo(offset == 150);
			paged.addAll(pageIds(page));
		}

		List<Integer> unavailable = IntStream.range(0, 200)
			.filter((position) -> user.library().get(position).unavailable())
			.boxed()
			.toList();
		assertThat(unavailable).containsExactly(9, 19, 29, 39, 49, 59, 69, 79, 89, 99, 109, 119, 129, 139, 149, 159,
				169, 179, 189, 199);
		assertThat(paged).hasSize(180).containsExactlyElementsOf(ids(user.visibleLibrary()));
	}

	@Test
	void unavailableTrackBecomesAvailableAgainWithTheSameIdentity() {
		SavedTrack track = SavedTrack.of("0000000000000000000007", "Seven", "X");

		SavedTrack unavailable = track.withUnavailable(true);

		assertThat(unavailable.unavailable()).isTrue();
		assertThat(unavailable.visible()).isFalse();
		assertThat(unavailable.withUnavailable(false)).isEqualTo(track);
		assertThatExceptionOfType(IndexOutOfBoundsException.class)
			.isThrownBy(() -> this.running.emulator().user("alice").generateLibrary(3).makeUnavailable(3));
	}

	// --- drifting total
	// -----------------------------------------------------------------------------------

	@Test
	void totalDriftsDownAsPagingPassesUnavailableTracksWhileItemsStayPut() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(150);
		List<SavedTrack> all = user.library();

		user.makeUnavailable(10, 20, 60, 149).driftTotalPastUnavailable(true);

		JsonNode first = this.running.client().tracks("alice", 0, 50);
		assertThat(first.path("total").asInt()).isEqualTo(150);
		assertThat(pageIds(first)).containsExactlyElementsOf(ids(without(all.subList(0, 50), 10, 20)));
		JsonNode second = this.running.client().tracks("alice", 50, 50);
		assertThat(second.path("total").asInt()).isEqualTo(148);
		assertThat(second.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(100, 50));
		assertThat(pageIds(second)).containsExactlyElementsOf(ids(without(all.subList(50, 100), 10)));
		JsonNode third = this.running.client().tracks("alice", 100, 50);
		assertThat(third.path("total").asInt()).isEqualTo(147);
		assertThat(pageIds(third)).containsExactlyElementsOf(ids(all.subList(100, 149)));
		assertThat(this.running.client().tracks("alice", 30, 50).path("total").asInt()).isEqualTo(148);

		user.driftTotalPastUnavailable(false);
		assertThat(this.running.client().tracks("alice", 100, 50).path("total").asInt()).isEqualTo(150);
	}

	@Test
	void totalDriftsByADeltaOnPagesAfterTheFirstSoThatNextEndsEarly() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(120);
		List<SavedTrack> all = user.library();

		user.driftTotalBy(30);

		JsonNode first = this.running.client().tracks("alice", 0, 50);
		assertThat(first.path("total").asInt()).isEqualTo(120);
		assertThat(first.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(50, 50));
		JsonNode second = this.running.client().tracks("alice", 50, 50);
		assertThat(second.path("total").asInt()).isEqualTo(90);
		assertThat(second.path("items").size()).isEqualTo(50);
		// next follows the reported total: a client trusting it alone would stop here and
		// miss 20 tracks.
		assertThat(second.path("next").isNull()).isTrue();
		JsonNode third = this.running.client().tracks("alice", 100, 50);
		assertThat(third.path("total").asInt()).isEqualTo(90);
		assertThat(pageIds(third)).containsExactlyElementsOf(ids(all.subList(100, 120)));

		user.driftTotalBy(0);
		assertThat(this.running.client().tracks("alice", 50, 50).path("total").asInt()).isEqualTo(120);
	}

	// --- track: null items
	// --------------------------------------------------------------------------------

	@Test
	void nullTrackItemsAreInItemsAndCountInTotal() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(60);
		List<SavedTrack> all = user.library();

		user.insertNullTrackAt(5);

		JsonNode page = this.running.client().tracks("alice", 0, 50);
		assertThat(page.path("total").asInt()).isEqualTo(61);
		assertThat(page.path("items").size()).isEqualTo(50);
		JsonNode item = page.path("items").path(5);
		assertThat(item.propertyNames()).containsExactly("added_at", "track");
		assertThat(item.path("track").isNull()).isTrue();
		assertThat(item.path("added_at").stringValue()).isEqualTo(all.get(5).addedAt().toString());
		assertThat(page.path("items").path(6).path("track").path("id").stringValue()).isEqualTo(all.get(5).id());
		assertThat(this.running.client().tracks("alice", 50, 50).path("items").size()).isEqualTo(11);
		assertThat(user.library()).hasSize(61);
		assertThat(user.library().get(5).trackMissing()).isTrue();
		assertThat(user.visibleLibrary()).containsExactlyElementsOf(all);
	}

	@Test
	void nullTrackAppendedAtTheEndSharesTheLastAddedAt() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(2);

		user.insertNullTrackAt(2);

		assertThat(user.library().get(2).addedAt()).isEqualTo(user.library().get(1).addedAt());
		assertThat(user.library().get(2).id()).isNull();
		assertThat(user.visibleLibrary()).hasSize(2);
		JsonNode items = this.running.client().tracks("alice", 0, 50).path("items");
		assertThat(items.size()).isEqualTo(3);
		assertThat(items.path(2).path("track").isNull()).isTrue();
	}

	// --- the same id twice
	// --------------------------------------------------------------------------------

	@Test
	void duplicateAppearsRightAfterItsOriginalOnTheSamePage() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(10);
		SavedTrack original = user.library().get(4);

		user.duplicateAt(4);

		JsonNode page = this.running.client().tracks("alice", 0, 50);
		assertThat(page.path("total").asInt()).isEqualTo(11);
		JsonNode items = page.path("items");
		assertThat(items.size()).isEqualTo(11);
		assertThat(items.path(4)).isEqualTo(items.path(5));
		assertThat(items.path(5).path("track").path("id").stringValue()).isEqualTo(original.id());
		assertThat(items.path(5).path("added_at").stringValue()).isEqualTo(original.addedAt().toString());
		assertThat(user.visibleLibrary()).hasSize(11).filteredOn((track) -> track.equals(original)).hasSize(2);
	}

	// --- ties: bulk imports
	// -------------------------------------------------------------------------------

	@Test
	void bulkImportTiesAddedAtInAnOrderThatIsStableButNeitherSaveOrderNorIdOrder() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(20);
		List<SavedTrack> before = user.library();
		Instant importedAt = Instant.parse("2030-01-01T00:00:00Z");

		user.bulkImport(300, importedAt);

		List<SavedTrack> tied = user.library().subList(0, 300);
		assertThat(tied).extracting(SavedTrack::addedAt).containsOnly(importedAt);
		assertThat(tied).extracting(SavedTrack::id).doesNotHaveDuplicates().doesNotContainAnyElementsOf(ids(before));
		assertThat(user.library().subList(300, 320)).isEqualTo(before);
		List<String> names = tied.stream().map(SavedTrack::name).toList();
		assertThat(names).isNotEqualTo(names.stream().sorted().toList())
			.isNotEqualTo(names.stream().sorted(Comparator.reverseOrder()).toList());
		List<String> ids = ids(tied);
		assertThat(ids).isNotEqualTo(ids.stream().sorted().toList())
			.isNotEqualTo(ids.stream().sorted(Comparator.reverseOrder()).toList());
		List<String> firstPaging = pagedIds("alice", 320);
		assertThat(firstPaging.subList(0, 300)).isEqualTo(ids);
		assertThat(pagedIds("alice", 320)).isEqualTo(firstPaging);
		try (SpotifyEmulator other = SpotifyEmulator.start()) {
			assertThat(other.user("alice").generateLibrary(20).bulkImport(300, importedAt).library())
				.isEqualTo(user.library());
		}
	}

	@Test
	void bulkImportNotLaterThanTheTopMovesOneSecondAboveIt() {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(5);
		Instant top = user.library().get(0).addedAt();

		user.bulkImport(3, top.minusSeconds(3600));

		assertThat(user.library()).hasSize(8);
		assertThat(user.library().subList(0, 3)).extracting(SavedTrack::addedAt).containsOnly(top.plusSeconds(1));
	}

	// --- saves with past timestamps
	// -----------------------------------------------------------------------

	@Test
	void saveWithPastTimestampLandsWhereItsAddedAtPutsItAndResavingMovesIt() {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(200);
		List<SavedTrack> before = user.library();
		SavedTrack elsewhere = SavedTrack.of("0000000000000000000042", "Saved by another app", "Other");

		user.saveTrackWithTimestamp(elsewhere, before.get(150).addedAt().plusSeconds(1));

		assertThat(user.library()).hasSize(201);
		assertThat(user.library().get(150).id()).isEqualTo("0000000000000000000042");
		assertThat(user.library().get(150).addedAt()).isEqualTo(before.get(150).addedAt().plusSeconds(1));
		assertThat(user.library().subList(0, 150)).isEqualTo(before.subList(0, 150));
		assertThat(user.library().subList(151, 201)).isEqualTo(before.subList(150, 200));

		SavedTrack top = before.get(0);
		user.saveTrackWithTimestamp(top, before.get(10).addedAt().minusSeconds(1));
		assertThat(user.library()).hasSize(201).filteredOn((track) -> top.id().equals(track.id())).hasSize(1);
		assertThat(user.library().get(0)).isEqualTo(before.get(1));
		assertThat(user.library().get(9)).isEqualTo(before.get(10));
		assertThat(user.library().get(10).id()).isEqualTo(top.id());
	}

	@Test
	void deepSwapKeepsTotalAndFirstPageIdenticalAlthoughTheLibraryChanged() throws Exception {
		EmulatedUser user = this.running.emulator().user("alice").generateLibrary(200);
		List<SavedTrack> before = user.library();
		JsonNode firstPageBefore = this.running.client().tracks("alice", 0, 50);

		user.saveTrackWithTimestamp(SavedTrack.of("0000000000000000000042", "Deep", "Other"),
				before.get(120).addedAt().plusSeconds(1));
		user.removeTrackAt(180);

		assertThat(this.running.client().tracks("alice", 0, 50)).isEqualTo(firstPageBefore);
		assertThat(user.library()).hasSize(200).isNotEqualTo(before);
		assertThat(pageIds(this.running.client().tracks("alice", 100, 50))).contains("0000000000000000000042");
		assertThat(ids(user.library())).doesNotContain(before.get(179).id());
	}

	// --- local files
	// --------------------------------------------------------------------------------------

	@Test
	void localFilesWithHostileLongNamesRenderAsSpotifyDoes() throws Exception {
		String start = "=cmd|' /C calc'!A0, \"quoted\" – naïve 東京 🎵 ";
		String title = start + "x".repeat(400 - start.length());
		String artist = "Sigur Rós, \"Jónsi\"";
		String album = "=HYPERLINK(\"http://evil.example\")";
		this.running.emulator().user("alice").saveTrack(SavedTrack.local(title, artist, album, 180_999));

		JsonNode track = this.running.client().tracks("alice", 0, 50).path("items").path(0).path("track");

		assertThat(title).hasSize(400);
		assertThat(track.path("name").stringValue()).isEqualTo(title);
		assertThat(track.path("is_local").asBoolean()).isTrue();
		assertThat(track.path("id").isNull()).isTrue();
		assertThat(track.path("href").isNull()).isTrue();
		assertThat(track.path("artists").path(0).path("id").isNull()).isTrue();
		assertThat(track.path("artists").path(0).path("name").stringValue()).isEqualTo(artist);
		assertThat(track.path("album").path("id").isNull()).isTrue();
		assertThat(track.path("album").path("name").stringValue()).isEqualTo(album);
		String uri = track.path("uri").stringValue();
		assertThat(uri).hasSizeGreaterThan(255)
			.startsWith("spotify:local:Sigur+R%C3%B3s%2C+%22J%C3%B3nsi%22:%3DHYPERLINK%28%22http%3A%2F%2Fevil.example"
					+ "%22%29:%3Dcmd%7C%27+%2FC+calc%27%21A0%2C+%22quoted%22+%E2%80%93+na%C3%AFve+")
			.isEqualTo("spotify:local:" + URLEncoder.encode(artist, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(album, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(title, StandardCharsets.UTF_8) + ":180");
	}

	// --- helpers
	// -----------------------------------------------------------------------------------------

	/** The track ids of a page's items, null for a null-track item. */
	private static List<String> pageIds(JsonNode page) {
		List<String> ids = new ArrayList<>();
		for (JsonNode item : page.path("items")) {
			ids.add(item.path("track").isNull() ? null : item.path("track").path("id").stringValue());
		}
		return ids;
	}

	/** Every track id of the user's library, paged by offset over HTTP. */
	private List<String> pagedIds(String userId, int total) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int offset = 0; offset < total; offset += 50) {
			ids.addAll(pageIds(this.running.client().tracks(userId, offset, 50)));
		}
		return ids;
	}

	private static List<String> ids(List<SavedTrack> tracks) {
		return tracks.stream().map(SavedTrack::id).toList();
	}

	/** {@code tracks} without the given positions. */
	private static List<SavedTrack> without(List<SavedTrack> tracks, int... positions) {
		List<SavedTrack> kept = new ArrayList<>(tracks);
		for (int i = positions.length - 1; i >= 0; i--) {
			kept.remove(positions[i]);
		}
		return kept;
	}

}
