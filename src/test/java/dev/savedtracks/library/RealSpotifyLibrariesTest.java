package dev.savedtracks.library;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.emulator.SavedTrack;
import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.web.SavedTracksApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Libraries as real Spotify lists them (issue 11): short pages, drifting counts,
 * {@code track: null} items, local files, a track listed twice, tied save times, and
 * edits deep in the library. Each is complete, in Spotify's order, at one request per
 * page cold and one request per unchanged revalidation, and never stuck in an error.
 */
class RealSpotifyLibrariesTest extends EmulatedSpotifyTest {

	@Autowired
	MeterRegistry meters;

	@Test
	void shortPagesOfUnavailableTracksAreServedAsTheyAreWithOneRequestPerPage() {
		EmulatedUser user = newUser(500).makeEveryNthUnavailable(7);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));
		int cold = spotify.counters().tracksRequests();
		JsonNode revalidated = read(browser.api("/api/saved-tracks?refresh=true"));

		int visible = user.visibleLibrary().size();
		assertThat(visible).isLessThan(500);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.visibleLibrary()));
		assertThat(body.get("total").asInt()).isEqualTo(visible);
		assertThat(body.get("spotifyTotal").asInt()).isEqualTo(500);
		assertThat(body.get("omitted").get("unlisted").asInt()).isEqualTo(500 - visible);
		assertThat(cold).as("one request per page, none repeated").isEqualTo(10);
		assertThat(spotify.counters().tracksRequests() - cold).as("an unchanged revalidation").isEqualTo(1);
		assertThat(ids(revalidated)).containsExactlyElementsOf(ids(user.visibleLibrary()));
	}

	@Test
	void countDroppingWhilePagingPastUnavailableTracksDoesNotFailTheSync() {
		EmulatedUser user = newUser(400).makeEveryNthUnavailable(11).driftTotalPastUnavailable(true);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		HttpResponse<String> cold = browser.api("/api/saved-tracks");
		int coldRequests = spotify.counters().tracksRequests();
		HttpResponse<String> revalidated = browser.api("/api/saved-tracks?refresh=true");

		assertThat(ids(read(cold))).containsExactlyElementsOf(ids(user.visibleLibrary()));
		assertThat(cold.headers().firstValue(SavedTracksApi.STALE_HEADER)).isEmpty();
		assertThat(coldRequests).as("each page once, and the first again to tell Spotify's drift from a change")
			.isEqualTo(8 + 1);
		assertThat(spotify.counters().tracksRequests() - coldRequests).isEqualTo(1);
		assertThat(ids(read(revalidated))).containsExactlyElementsOf(ids(user.visibleLibrary()));
	}

	@Test
	void driftingCountCostsOneMoreRequestOnlyWhenTheListingIsNew() {
		EmulatedUser user = newUser(300).driftTotalBy(3);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		spotify.counters().reset();

		java.util.List<String> before = ids(user.visibleLibrary());
		backdateFullSync(user, ChronoUnit.HOURS, 25);
		JsonNode unchanged = read(browser.api("/api/saved-tracks?refresh=true"));
		int reconciliation = spotify.counters().tracksRequests();
		double rechecks = extra("drift-recheck");
		user.removeTrackAt(100);
		JsonNode changed = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(unchanged)).containsExactlyElementsOf(before);
		assertThat(reconciliation).as("the same listing as the cached copy: read once").isEqualTo(6);
		assertThat(ids(changed)).containsExactlyElementsOf(ids(user.visibleLibrary()));
		assertThat(spotify.counters().tracksRequests() - reconciliation)
			.as("a new listing: the first page asked for again, unchanged")
			.isEqualTo(6 + 1);
		assertThat(extra("drift-recheck") - rechecks).as("the extra request, counted with its reason").isEqualTo(1);
	}

	@Test
	void pageOfFiftyUnavailableTracksInARowIsAskedForOnceMoreThenServedAsItIs() {
		EmulatedUser user = newUser(150).makeUnavailable(IntStream.range(50, 100).toArray());
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		HttpResponse<String> cold = browser.api("/api/saved-tracks");
		int coldRequests = spotify.counters().tracksRequests();
		JsonNode revalidated = read(browser.api("/api/saved-tracks?refresh=true"));

		JsonNode body = read(cold);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.visibleLibrary())).hasSize(100);
		assertThat(body.get("spotifyTotal").asInt()).isEqualTo(150);
		assertThat(body.get("omitted").get("unlisted").asInt()).isEqualTo(50);
		assertThat(cold.headers().firstValue(SavedTracksApi.STALE_HEADER)).isEmpty();
		assertThat(coldRequests).as("three pages, the empty one asked for twice").isEqualTo(3 + 1);
		assertThat(spotify.counters().tracksRequests() - coldRequests).as("an unchanged revalidation").isEqualTo(1);
		assertThat(ids(revalidated)).containsExactlyElementsOf(ids(user.visibleLibrary()));
	}

	@Test
	void libraryThatKeepsChangingWhileItIsReadIsServedMarkedAfterTheLastAttempt() {
		EmulatedUser user = newUser(200);
		BrowserSession browser = signedIn(user);
		keepChangingWhileRead(user);
		spotify.counters().reset();

		double rereads = extra("reread");
		HttpResponse<String> cold = browser.api("/api/saved-tracks");
		int coldRequests = spotify.counters().tracksRequests();
		List<String> served = ids(read(cold));
		HttpResponse<String> refreshed = browser.api("/api/saved-tracks?refresh=true");
		spotify.faults().clear();

		assertThat(cold.headers().firstValue(SavedTracksApi.STALE_HEADER)).contains("library-changing");
		assertThat(served).doesNotHaveDuplicates().hasSizeGreaterThan(190);
		assertThat(coldRequests).as("three attempts of at most 6 pages and a second first page each, no more")
			.isLessThanOrEqualTo(3 * (6 + 1));
		assertThat(extra("reread") - rereads).as("the pages of the later attempts, counted as read again").isPositive();
		assertThat(refreshed.statusCode()).isEqualTo(200);
		assertThat(refreshed.headers().firstValue(SavedTracksApi.STALE_HEADER)).contains("library-changing");
		assertThat(ids(read(refreshed))).as("the copy kept while the library keeps changing")
			.containsExactlyElementsOf(served);
	}

	@Test
	void nullTrackItemsAreSkippedAndCounted() {
		EmulatedUser user = newUser(120).insertNullTrackAt(3).insertNullTrackAt(77);
		BrowserSession browser = signedIn(user);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.visibleLibrary())).doesNotContainNull();
		assertThat(body.get("total").asInt()).isEqualTo(120);
		assertThat(body.get("spotifyTotal").asInt()).isEqualTo(122);
		assertThat(body.get("omitted").get("removed").asInt()).isEqualTo(2);
		assertThat(body.get("items").valueStream().allMatch(item -> item.get("name").isString())).isTrue();
	}

	@Test
	void localFilesWithLongNamesAreKeptInEveryFormat() {
		String title = "=cmd|' /C calc'!A0 " + "Very long title, with \"quotes\" ".repeat(13);
		EmulatedUser user = newUser(10);
		user.saveTrack(SavedTrack.local(title, "My Band", "Garage Tapes", 181_000));
		user.saveTrack(SavedTrack.local(title, "My Band", "Garage Tapes", 181_000));
		BrowserSession browser = signedIn(user);

		JsonNode body = read(browser.api("/api/saved-tracks"));
		String csv = browser.get("/api/saved-tracks", "text/csv").body();
		String ndjson = browser.get("/api/saved-tracks", "application/x-ndjson").body();

		JsonNode local = body.get("items").get(0);
		assertThat(body.get("total").asInt()).as("two saves of one local file are two items").isEqualTo(12);
		assertThat(local.get("id").isNull()).isTrue();
		assertThat(local.get("local").asBoolean()).isTrue();
		assertThat(local.get("name").asString()).isEqualTo(title);
		assertThat(local.get("uri").asString()).startsWith("spotify:local:").hasSizeGreaterThan(255);
		assertThat(local.get("artists").get(0).get("name").asString()).isEqualTo("My Band");
		assertThat(local.get("durationMs").asInt()).isEqualTo(181_000);
		assertThat(json.readTree(ndjson.lines().findFirst().orElseThrow()).get("name").asString()).isEqualTo(title);
		assertThat(csv.split("\r\n")[1]).startsWith(",\"'=cmd|' /C calc'!A0 Very long title, with \"\"quotes\"\"")
			.contains(",My Band,")
			.endsWith(",true");
	}

	@Test
	void trackListedTwiceInOnePageIsKeptOnceAndCounted() {
		EmulatedUser user = newUser(140).duplicateAt(20);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));
		int cold = spotify.counters().tracksRequests();
		read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(body)).doesNotHaveDuplicates().hasSize(140);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.visibleLibrary()).stream().distinct().toList());
		assertThat(body.get("omitted").get("duplicates").asInt()).isEqualTo(1);
		assertThat(cold).isEqualTo(3);
		assertThat(spotify.counters().tracksRequests() - cold).isEqualTo(1);
	}

	@Test
	void trackListedTwiceAcrossPagesIsKeptOnceWithoutFailingTheSync() {
		EmulatedUser user = newUser(120).duplicateAt(49);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		HttpResponse<String> response = browser.api("/api/saved-tracks");
		int cold = spotify.counters().tracksRequests();
		read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(read(response))).doesNotHaveDuplicates().hasSize(120);
		assertThat(response.headers().firstValue(SavedTracksApi.STALE_HEADER)).isEmpty();
		assertThat(cold)
			.as("the first page asked for again, and the two pages around the double listing: "
					+ "the person changed nothing")
			.isEqualTo(3 + 1 + 2);
		assertThat(spotify.counters().tracksRequests() - cold).isEqualTo(1);
	}

	@Test
	void hundredsOfTracksSavedAtOneInstantAreCompleteInSpotifyOrder() {
		EmulatedUser user = newUser(40).bulkImport(300, Instant.parse("2024-03-01T12:00:00Z"));
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));
		int cold = spotify.counters().tracksRequests();
		read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(cold).isEqualTo(7);
		assertThat(spotify.counters().tracksRequests() - cold).isEqualTo(1);
	}

	@Test
	void everyFieldADevelopmentModeAppStillGetsIsKeptInJsonCsvAndNdjsonInOneOrder() {
		EmulatedUser user = newUser(3);
		BrowserSession browser = signedIn(user);

		JsonNode item = read(browser.api("/api/saved-tracks")).get("items").get(0);
		String csv = browser.get("/api/saved-tracks", "text/csv").body();
		JsonNode line = json.readTree(
				browser.get("/api/saved-tracks", "application/x-ndjson").body().lines().findFirst().orElseThrow());

		assertThat(item.get("discNumber").asInt()).isEqualTo(1);
		assertThat(item.get("trackNumber").asInt()).isBetween(1, 12);
		JsonNode album = item.get("album");
		assertThat(album.get("type").asString()).isEqualTo("album");
		assertThat(album.get("totalTracks").asInt()).isEqualTo(12);
		assertThat(album.get("releaseDatePrecision").asString()).isIn("year", "month", "day");
		assertThat(album.get("artists").get(0).get("name").asString())
			.isEqualTo(item.get("artists").get(0).get("name").asString());
		assertThat(item.propertyNames()).containsExactlyElementsOf(Track.FIELDS);
		assertThat(line.propertyNames()).containsExactlyElementsOf(Track.FIELDS);
		assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo(CsvTracks.HEADER);
		assertThat(csv.lines().skip(1).findFirst().orElseThrow())
			.contains(",1," + item.get("trackNumber").asInt() + ",");
	}

	@Test
	void trackPushedToTheNextPageByADeepSaveDuringASyncIsNotLost() {
		// Another app saves a track with a past time deep in the library, and one is
		// removed further down, between two pages: the first page and the count stay the
		// same, the last track of page 2 is listed again on page 3, and the saved one is
		// on a page already read.
		EmulatedUser user = newUser(200);
		BrowserSession browser = signedIn(user);
		SavedTrack deep = SavedTrack.of("00000000000000000SHIFT", "Saved long ago elsewhere", "Old Band");
		spotify.faults().atOffset(100, Fault.delay(Duration.ofMillis(400)), 1);
		spotify.faults().afterRequestAt(50, offset -> {
			user.saveTrackWithTimestamp(deep, user.library().get(60).addedAt().minusSeconds(1));
			user.removeTrackAt(180);
		});
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).contains(deep.id()).containsExactlyElementsOf(ids(user.library()));
	}

	@Test
	void tracksSavedInOneSecondListedInAnotherOrderAreNoChange() {
		EmulatedUser user = newUser(40).bulkImport(300, Instant.parse("2024-03-01T12:00:00Z"));
		BrowserSession browser = signedIn(user);
		JsonNode before = read(browser.api("/api/saved-tracks"));
		List<String> firstPageBefore = ids(user.library()).subList(0, 50);
		user.reorderTies(7);
		spotify.counters().reset();

		JsonNode after = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(user.library()).subList(0, 50)).as("the emulator lists the tie in another order")
			.isNotEqualTo(firstPageBefore);
		assertThat(spotify.counters().tracksRequests()).as("the first page only: no full sync").isEqualTo(1);
		assertThat(ids(after)).containsExactlyInAnyOrderElementsOf(ids(before));
	}

	@Test
	void editDeepInTheLibraryIsCaughtByTheNextFullReconciliation() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.removeTrackAt(200);
		SavedTrack inserted = SavedTrack.of("0000000000000000000DEEP", "Saved long ago elsewhere", "Old Band");
		user.saveTrackWithTimestamp(inserted, user.library().get(150).addedAt().minusSeconds(1));
		spotify.counters().reset();

		JsonNode cheap = read(browser.api("/api/saved-tracks?refresh=true"));
		backdateFullSync(user, ChronoUnit.HOURS, 25);
		JsonNode reconciled = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(cheap)).as("the one-request check cannot see it").doesNotContain(inserted.id());
		assertThat(ids(reconciled)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(1 + 6);
	}

	@Test
	void callerMayAskForAFullReconciliationAtMostEveryQuarterOfAnHour() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.removeTrackAt(200);
		user.saveTrackWithTimestamp(SavedTrack.of("0000000000000000000DEEQ", "Deep", "Band"),
				user.library().get(150).addedAt().minusSeconds(1));
		spotify.counters().reset();

		HttpResponse<String> throttled = browser.api("/api/saved-tracks?refresh=full");
		int afterThrottled = spotify.counters().tracksRequests();
		backdateFullSync(user, ChronoUnit.MINUTES, 16);
		HttpResponse<String> full = browser.api("/api/saved-tracks?refresh=full");

		assertThat(throttled.headers().firstValue(SavedTracksApi.THROTTLED_HEADER).orElseThrow())
			.matches("full-sync; retry-after=\\d+");
		assertThat(afterThrottled).as("revalidated instead").isEqualTo(1);
		assertThat(full.headers().firstValue(SavedTracksApi.THROTTLED_HEADER)).isEmpty();
		assertThat(ids(read(full))).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests() - afterThrottled).isEqualTo(6);
	}

	@Test
	void aFullSyncThatSpotifyFailedIsNotChargedToTheDailyAllowance() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		backdateFullSync(user, ChronoUnit.HOURS, 25);
		spotify.faults().atOffset(150, Fault.status(503), 20);

		HttpResponse<String> failed = browser.api("/api/saved-tracks?refresh=true");

		assertThat(failed.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("spotify-unavailable");
		assertThat(this.jdbc.sql("select full_syncs from library where account_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).as("the failed full sync was given back").isZero();
	}

	/**
	 * Removes a track deep in the library each time the first page has been answered
	 * (tracks saved on top are taken in at the end of the sync instead: see
	 * {@code SavedTracksApiTest}). The service asks for the other pages only after
	 * receiving the first one, so every attempt sees the library change under it, however
	 * its pages overlap. (Changing it after later pages instead is a race: concurrent
	 * pages can all be answered before any change.)
	 */
	private static void keepChangingWhileRead(EmulatedUser user) {
		spotify.faults().afterRequest(new java.util.function.Consumer<Integer>() {
			@Override
			public void accept(Integer offset) {
				if (offset == 0) {
					user.removeTrackAt(100);
				}
				spotify.faults().afterRequest(this);
			}
		});
	}

	private void backdateFullSync(EmulatedUser user, ChronoUnit unit, long amount) {
		this.jdbc.sql("update library set full_synced_at = ? where account_id = ?")
			.params(java.sql.Timestamp.from(Instant.now().minus(amount, unit)), user.id())
			.update();
	}

	private double extra(String reason) {
		Counter counter = this.meters.find("spotify.requests.extra").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
