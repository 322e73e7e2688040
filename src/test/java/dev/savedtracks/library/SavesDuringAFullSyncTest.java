package dev.savedtracks.library;

import java.time.Duration;
import java.util.Random;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;
import dev.savedtracks.spotify.SpotifySettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saves made while the pages of a full sync are in flight (issue 27): Spotify lists
 * newest first, so every save moves every later offset by one, and pages answered on both
 * sides of a save overlap or leave places that no page listed. They are taken in without
 * reading the library again, and the copy is Spotify's listing, each track once.
 */
// Production's page concurrency rather than the tests' (EmulatorWiring): the more pages
// in
// flight, the more of them are answered on both sides of a save. A context of its own.
@TestPropertySource(properties = "spotify.page-concurrency=" + SavesDuringAFullSyncTest.IN_FLIGHT)
class SavesDuringAFullSyncTest extends EmulatedSpotifyTest {

	/** Production's page concurrency. */
	static final int IN_FLIGHT = 8;

	@Autowired
	MeterRegistry meters;

	@Autowired
	SpotifySettings spotifySettings;

	@Test
	void tracksSkippedBetweenPagesAnsweredOnBothSidesOfASaveAreReadAgainWithoutARestart() {
		// Page 6 is answered after the saves and page 7 before them: page 6 lists the
		// tracks below the saves three places lower, and the last three of its own
		// places are on no page. At most IN_FLIGHT pages are requested before page 6 is
		// handed on, all answered before page 7 and its saves; those after it, after.
		EmulatedUser user = newUser(600);
		BrowserSession browser = signedIn(user);
		saveWhilePage6IsInFlight(user);
		spotify.counters().reset();
		double rereads = extra("reread");

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(ids(body)).containsExactlyElementsOf(ids(user.library())).hasSize(603).doesNotHaveDuplicates();
		assertThat(spotify.counters().tracksRequests())
			.as("12 pages, the first again, the page the three skipped tracks are on now, the page the saves pushed "
					+ "the last tracks onto")
			.isLessThanOrEqualTo(12 + 1 + 2);
		assertThat(extra("reread") - rereads).as("the skipped tracks' page read again, counted with its reason")
			.isEqualTo(1);
	}

	@Test
	void bulkSaveWhileTheSkippedTracksAreReadAgainMovesThemAPageDownAndTheyAreFollowed() {
		// As above, and 50 more tracks saved at once when Spotify's first page has been
		// asked for again: the pages read again count 50 more, the three skipped tracks
		// and the last three are a page further down than that first page says, and are
		// read from there.
		EmulatedUser user = newUser(600);
		BrowserSession browser = signedIn(user);
		saveWhilePage6IsInFlight(user);
		// 12 pages, then the first again: the 13th answer.
		spotify.faults().afterAnswers(13, offset -> user.saveNewTracks(50));
		spotify.counters().reset();

		JsonNode body = read(browser.api("/api/saved-tracks"));
		int requests = spotify.counters().tracksRequests();
		JsonNode refreshed = read(browser.api("/api/saved-tracks?refresh=true"));

		assertThat(ids(body)).as("Spotify's listing when its first page was asked for again")
			.containsExactlyElementsOf(ids(user.library()).subList(50, 653))
			.doesNotHaveDuplicates();
		assertThat(requests)
			.as("12 pages, the first again, the two pages that held the missing tracks then, and the two that "
					+ "hold them now: no new attempt")
			.isLessThanOrEqualTo(12 + 1 + 2 + 2);
		assertThat(ids(refreshed)).as("the bulk save, added on top by the next sync")
			.containsExactlyElementsOf(ids(user.library()));
	}

	@ParameterizedTest(name = "seed {0}")
	@ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void savesLandingAtRandomMomentsWhilePagesAreInFlightAreTakenInWithoutARestart(long seed) {
		assertThat(this.spotifySettings.pageConcurrency()).as("production's").isEqualTo(IN_FLIGHT);
		Random random = new Random(seed);
		// 40 to 60 pages: a new attempt, which reads every page again, costs more than
		// the most pages the saves may have to read again.
		int tracks = 2000 + random.nextInt(1000);
		int pages = (tracks + 49) / 50;
		EmulatedUser user = newUser(tracks);
		BrowserSession browser = signedIn(user);
		spotify.counters().reset();
		// Pages answered out of order, as Spotify's do: a third of them held back a
		// little.
		for (int page = 1; page < pages; page++) {
			if (random.nextInt(3) == 0) {
				spotify.faults().atOffset(page * 50, Fault.delay(Duration.ofMillis(20 + random.nextInt(120))), 1);
			}
		}
		// One to three saves of one to five tracks, each after a page (the first one
		// included) is answered and while others are in flight. At most IN_FLIGHT pages
		// are, so when the n-th answer's save runs at most n + IN_FLIGHT - 1 pages have
		// been answered: with n <= pages - IN_FLIGHT, a page at least is answered after
		// it, and the sync sees the save.
		int saves = 1 + random.nextInt(3);
		int saved = 0;
		for (int i = 0; i < saves; i++) {
			int count = 1 + random.nextInt(5);
			saved += count;
			spotify.faults().afterAnswers(1 + random.nextInt(pages - IN_FLIGHT), offset -> user.saveNewTracks(count));
		}

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(user.library()).hasSize(tracks + saved);
		assertThat(ids(body)).as("Spotify's listing, each track once")
			.containsExactlyElementsOf(ids(user.library()))
			.doesNotHaveDuplicates();
		// A save splits the pages in flight (at most IN_FLIGHT in a row) into those
		// answered before it and after it: where one answered after it precedes one
		// answered before, places were listed by no page, and the pages holding them now
		// are within two pages of those: at most IN_FLIGHT + 2 pages per save, and one or
		// two for the end (200 seeds of 900 to 1,500 tracks: at most 3 pages for one
		// save, 7 for three).
		assertThat(spotify.counters().tracksRequests())
			.as("each page once, the first again, a page or two for the end, a few pages per save: no new attempt")
			.isLessThanOrEqualTo(pages + 1 + 2 + (IN_FLIGHT + 2) * saves)
			.isLessThan(2 * pages);
	}

	/**
	 * Three tracks saved once page 7 is answered, a while after the pages around it, and
	 * before page 6 is.
	 */
	private static void saveWhilePage6IsInFlight(EmulatedUser user) {
		spotify.faults().atOffset(300, Fault.delay(Duration.ofMillis(700)), 1);
		spotify.faults().atOffset(350, Fault.delay(Duration.ofMillis(250)), 1);
		spotify.faults().afterRequestAt(350, offset -> user.saveNewTracks(3));
	}

	private double extra(String reason) {
		Counter counter = this.meters.find("spotify.requests.extra").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
