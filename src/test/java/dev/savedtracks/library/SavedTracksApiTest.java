package dev.savedtracks.library;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/saved-tracks}: aggregation, windows, and how many Spotify requests each
 * answer costs.
 */
class SavedTracksApiTest extends EmulatedSpotifyTest {

	@ParameterizedTest(name = "{0} tracks")
	@ValueSource(ints = { 0, 1, 50, 51, 2345 })
	void returnsTheWholeLibraryInSpotifyOrderWithOneRequestPerPage(int size) {
		EmulatedUser user = newUser(size);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(body.get("total").asInt()).isEqualTo(size);
		assertThat(body.get("offset").asInt()).isZero();
		assertThat(body.get("syncedAt").asString()).isNotBlank();
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(Math.max(1, (size + 49) / 50));
	}

	@Test
	void mapsEveryFieldAndTurnsMissingUpstreamFieldsIntoNulls() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);

		JsonNode items = read(browser.api("/api/saved-tracks")).get("items");

		SavedTrack first = user.library().get(0);
		JsonNode item = items.get(0);
		assertThat(item.get("id").asString()).isEqualTo(first.id());
		assertThat(item.get("name").asString()).isEqualTo(first.name());
		assertThat(item.get("uri").asString()).isEqualTo("spotify:track:" + first.id());
		assertThat(item.get("addedAt").asString()).isEqualTo(first.addedAt().toString());
		assertThat(item.get("durationMs").asInt()).isEqualTo(first.durationMs());
		assertThat(item.get("explicit").asBoolean()).isEqualTo(first.explicit());
		assertThat(item.get("artists").get(0).get("name").asString()).isEqualTo(first.artists().get(0).name());
		assertThat(item.get("album").get("name").asString()).isEqualTo(first.album().name());
		assertThat(item.has("isrc")).isTrue();
		assertThat(item.get("album").has("releaseDate")).isTrue();
		assertThat(item.get("album").has("imageUrl")).isTrue();
		for (int i = 0; i < user.library().size(); i++) {
			SavedTrack expected = user.library().get(i);
			if (expected.isrc() == null) {
				assertThat(items.get(i).get("isrc").isNull()).as("isrc of track %d", i).isTrue();
			}
		}
	}

	@Test
	void windowsTheCachedLibraryButAlwaysReportsTheWholeTotal() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		spotify.counters().reset();

		JsonNode window = read(browser.api("/api/saved-tracks?offset=100&limit=50"));
		JsonNode beyond = read(browser.api("/api/saved-tracks?offset=500"));

		assertThat(window.get("total").asInt()).isEqualTo(120);
		assertThat(window.get("offset").asInt()).isEqualTo(100);
		assertThat(ids(window)).containsExactlyElementsOf(ids(user.library().subList(100, 120)));
		assertThat(beyond.get("items").size()).isZero();
		assertThat(spotify.counters().tracksRequests()).isZero();
	}

	@Test
	void warmHitsCostNoSpotifyRequest() {
		EmulatedUser user = newUser(160);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		spotify.counters().reset();

		for (int i = 0; i < 5; i++) {
			assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);
		}

		assertThat(spotify.counters().tracksRequests()).isZero();
	}

	@Test
	void unchangedLibraryIsRevalidatedWithOneRequest() {
		EmulatedUser user = newUser(400);
		BrowserSession browser = signedIn(user);
		String syncedAt = read(browser.api("/api/saved-tracks")).get("syncedAt").asString();
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(spotify.counters().tracksRequests()).isEqualTo(1);
		assertThat(body.get("total").asInt()).isEqualTo(400);
		assertThat(body.get("syncedAt").asString()).isEqualTo(syncedAt);
	}

	@Test
	void tracksSavedOnTopAreFetchedWithOneRequest() {
		EmulatedUser user = newUser(400);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		user.saveNewTracks(3);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(spotify.counters().tracksRequests()).isEqualTo(1);
		assertThat(body.get("total").asInt()).isEqualTo(403);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
	}

	@Test
	void manyTracksSavedOnTopFetchOnlyThePagesThatHoldThem() {
		EmulatedUser user = newUser(400);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		user.saveNewTracks(120);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(spotify.counters().tracksRequests()).isEqualTo(3);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
	}

	@Test
	void removedTrackLeadsToAFullSyncWithTheCorrectLibrary() {
		EmulatedUser user = newUser(260);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		user.removeTrackAt(137);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(body.get("total").asInt()).isEqualTo(259);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).isEqualTo(6);
	}

	@Test
	void moreTracksSavedOnTopThanThePagesBoundAreReadByAFullSyncNotHeldInMemory() {
		EmulatedUser user = newUser(100);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks?limit=1"));
		user.saveNewTracks(1_050);
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(spotify.counters().tracksRequests()).as("every page of 1,150 tracks once, no top pages first")
			.isEqualTo(23);
	}

	@Test
	void fullSyncStoresPagesAsTheyArriveWhileReadersKeepTheCompleteCopy() throws Exception {
		EmulatedUser user = newUser(500);
		BrowserSession browser = signedIn(user);
		List<String> before = ids(read(browser.api("/api/saved-tracks")));
		user.removeTrackAt(250);
		spotify.latency(Duration.ofMillis(300));
		try {
			CompletableFuture<HttpResponse<String>> sync = CompletableFuture
				.supplyAsync(() -> browser.api("/api/saved-tracks?refresh=true"));
			int newRows = 0;
			while (newRows == 0 && !sync.isDone()) {
				Thread.sleep(10);
				newRows = rowsNotYetServed(user);
			}
			HttpResponse<String> during = browser.api("/api/saved-tracks");
			boolean syncStillRunning = !sync.isDone();
			JsonNode after = read(sync.get(30, TimeUnit.SECONDS));

			assertThat(newRows).as("rows of the new copy stored before its last page arrived").isPositive();
			assertThat(syncStillRunning).isTrue();
			assertThat(ids(read(during))).as("readers meanwhile get the previous complete copy")
				.containsExactlyElementsOf(before);
			assertThat(ids(after)).containsExactlyElementsOf(ids(user.library()));
			assertThat(rowsOfUnfinishedCopies(user)).as("no rows but the new copy and the retired one are left")
				.isZero();
		}
		finally {
			spotify.latency(Duration.ZERO);
		}
	}

	private int rowsOfUnfinishedCopies(EmulatedUser user) {
		return this.jdbc
			.sql("select count(*) from library_track t join library l on l.account_id = t.account_id "
					+ "where t.account_id = ? and t.generation <> l.generation "
					+ "and t.generation <> coalesce(l.retired_generation, -1)")
			.param(user.id())
			.query(Integer.class)
			.single();
	}

	private int rowsNotYetServed(EmulatedUser user) {
		return this.jdbc
			.sql("select count(*) from library_track t where t.account_id = ? "
					+ "and t.generation <> (select l.generation from library l where l.account_id = t.account_id)")
			.param(user.id())
			.query(Integer.class)
			.single();
	}

	@Test
	void libraryTooLargeToEncodeInMemoryIsWrittenOutWhole() {
		// One more than SavedTracksController keeps encoded in memory: this answer takes
		// the streaming path.
		EmulatedUser user = newUser(10_001);
		BrowserSession browser = signedIn(user);

		HttpResponse<String> first = browser.api("/api/saved-tracks");
		HttpResponse<String> again = browser.api("/api/saved-tracks");
		JsonNode encodedInMemory = read(browser.api("/api/saved-tracks?limit=10"));

		JsonNode whole = read(first);
		assertThat(ids(whole)).containsExactlyElementsOf(ids(user.library()));
		assertThat(whole.get("total").asInt()).isEqualTo(10_001);
		assertThat(whole.get("offset").asInt()).isZero();
		assertThat(whole.get("syncedAt")).isEqualTo(encodedInMemory.get("syncedAt"));
		assertThat(whole.get("items").get(0)).isEqualTo(encodedInMemory.get("items").get(0));
		assertThat(first.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(again.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag")).isPresent();
	}

	@Test
	void resavedTrackMovesToTheTopThroughAFullSync() {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		browser.api("/api/saved-tracks");
		SavedTrack old = user.library().get(90);
		user.saveTrack(old);

		JsonNode body = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library()));
		assertThat(ids(body).get(0)).isEqualTo(old.id());
	}

	@Test
	void libraryChangingDuringASyncIsSyncedAgainAndStoredExactly() {
		EmulatedUser user = newUser(300);
		BrowserSession browser = signedIn(user);
		spotify.faults().afterRequest(offset -> user.saveNewTracks(2));

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(body.get("total").asInt()).isEqualTo(302);
		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library())).doesNotHaveDuplicates();
	}

	@Test
	void tracksSavedDuringAFullSyncAreTakenInAtItsEndWithoutReadingTheLibraryAgain() {
		EmulatedUser user = newUser(600);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		// Saved in the middle of the sync, while other pages are in flight: pages
		// answered on both sides of the saves may leave places no page listed
		// (SavesDuringAFullSyncTest), which are read again.
		spotify.faults().afterRequestAt(300, offset -> user.saveNewTracks(3));
		// The last page is answered after the saves, whatever order the pages go in: a
		// sync whose every page was answered before them rightly serves the library
		// without them.
		spotify.faults().atOffset(550, Fault.delay(Duration.ofSeconds(1)), 1);

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library())).hasSize(603).doesNotHaveDuplicates();
		assertThat(spotify.counters().tracksRequests())
			.as("12 pages, the first page again, the page the saves pushed the last tracks onto, a page or two "
					+ "around the saves")
			.isLessThanOrEqualTo(12 + 1 + 1 + 3);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "offset=-1", "limit=0", "limit=abc", "offset=1e3", "limit=99999999999", "offset=2000000",
			"limit=10&limit=20", "refresh=yes", "offset=%20" })
	void rejectsInvalidParametersWithProblemDetailsAndNoSpotifyRequest(String query) {
		EmulatedUser user = newUser(10);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();

		HttpResponse<String> response = browser.api("/api/saved-tracks?" + query);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).contains("invalid-params")
			.doesNotContain("Exception")
			.doesNotContain("dev.savedtracks")
			.doesNotContain("at org.");
		assertThat(spotify.counters().tracksRequests()).isZero();
	}

}
