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

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.Fault;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saves made while the pages of a full sync are in flight (issue 27): Spotify lists
 * newest first, so every save moves every later offset by one, and pages answered on both
 * sides of a save overlap or leave places that no page listed. They are taken in without
 * reading the library again, and the copy is Spotify's listing, each track once.
 */
class SavesDuringAFullSyncTest extends EmulatedSpotifyTest {

	@Autowired
	MeterRegistry meters;

	@Test
	void tracksSkippedBetweenPagesAnsweredOnBothSidesOfASaveAreReadAgainWithoutARestart() {
		// Page 6 is answered after the saves and page 7 before them: page 6 lists the
		// tracks below the saves three places lower, and the last three of its own
		// places are on no page.
		EmulatedUser user = newUser(600);
		BrowserSession browser = signedIn(user);
		spotify.faults().atOffset(300, Fault.delay(Duration.ofMillis(400)), 1);
		spotify.faults().afterRequestAt(350, offset -> user.saveNewTracks(3));
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
		spotify.faults().atOffset(300, Fault.delay(Duration.ofMillis(400)), 1);
		spotify.faults().afterRequestAt(350, offset -> user.saveNewTracks(3));
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
		Random random = new Random(seed);
		int tracks = 900 + random.nextInt(600);
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
		// included) is answered and while others are in flight.
		int saves = 1 + random.nextInt(3);
		int saved = 0;
		for (int i = 0; i < saves; i++) {
			int count = 1 + random.nextInt(5);
			saved += count;
			spotify.faults().afterAnswers(1 + random.nextInt(pages - 1), offset -> user.saveNewTracks(count));
		}

		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(user.library()).hasSize(tracks + saved);
		assertThat(ids(body)).as("Spotify's listing, each track once")
			.containsExactlyElementsOf(ids(user.library()))
			.doesNotHaveDuplicates();
		// A save splits the pages in flight into those answered before it and after it:
		// each place where one answered after it precedes one answered before leaves
		// places no page listed, on one page or two (60 seeds: at most 4 pages besides
		// the first again). A new attempt would read every page again.
		assertThat(spotify.counters().tracksRequests())
			.as("each page once, the first again, the page the saves pushed the last tracks onto, and a few "
					+ "pages per save: no new attempt")
			.isLessThanOrEqualTo(pages + 1 + 1 + 3 * saves)
			.isLessThan(2 * pages);
	}

	private double extra(String reason) {
		Counter counter = this.meters.find("spotify.requests.extra").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
