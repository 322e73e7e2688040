package dev.savedtracks.library;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.ProductionGuards;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.library.web.SavedTracksApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one caller can make the service ask of Spotify: {@code refresh=true} at most once
 * per {@code LIBRARY_MIN_RECHECK}, and full syncs at most
 * {@code LIBRARY_MAX_FULL_SYNCS_PER_DAY}; each throttle says so in the answer.
 */
@ProductionGuards
class PerAccountThrottlesTest extends EmulatedSpotifyTest {

	private static final Duration MIN_RECHECK = Duration.ofSeconds(ProductionGuards.MIN_RECHECK_SECONDS);

	@Test
	void refreshCalledOverAndOverAsksSpotifyOncePerMinRecheckAndSaysWhenItLastDid() throws Exception {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		Thread.sleep(MIN_RECHECK.toMillis());
		spotify.counters().reset();

		HttpResponse<String> first = browser.api("/api/saved-tracks?refresh=true");
		HttpResponse<String> last = null;
		for (int i = 0; i < 19; i++) {
			last = browser.api("/api/saved-tracks?refresh=true");
			assertThat(read(last).get("total").asInt()).isEqualTo(120);
		}

		assertThat(first.headers().firstValue(SavedTracksApi.THROTTLED_HEADER)).isEmpty();
		assertThat(spotify.counters().tracksRequests(user.id())).isBetween(1, 2);
		assertThat(last.headers().firstValue(SavedTracksApi.THROTTLED_HEADER).orElseThrow())
			.matches("recheck; retry-after=[1-3]");
		Instant checkedAt = Instant.parse(last.headers().firstValue(SavedTracksApi.CHECKED_AT_HEADER).orElseThrow());
		assertThat(checkedAt).isBetween(Instant.now().minus(MIN_RECHECK.multipliedBy(2)), Instant.now());
		assertThat(last.headers().firstValue(SavedTracksApi.STALE_HEADER)).isEmpty();
	}

	@Test
	void beyondTheDailyFullSyncsTheCopyIsServedSayingWhyAtTheCostOfOneRequest() throws Exception {
		EmulatedUser user = newUser(120);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.removeTrackAt(5);
		Thread.sleep(MIN_RECHECK.toMillis());
		assertThat(read(browser.api("/api/saved-tracks?refresh=true")).get("total").asInt())
			.as("the day's one full sync")
			.isEqualTo(119);
		user.removeTrackAt(5);
		Thread.sleep(MIN_RECHECK.toMillis());
		spotify.counters().reset();

		HttpResponse<String> refused = browser.api("/api/saved-tracks?refresh=true");
		HttpResponse<String> next = browser.api("/api/saved-tracks");

		assertThat(read(refused).get("total").asInt()).isEqualTo(119);
		assertThat(refused.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("full-sync-budget-used");
		assertThat(refused.headers().firstValue(SavedTracksApi.THROTTLED_HEADER).orElseThrow())
			.matches("full-sync-budget; retry-after=8[0-9]{4}");
		assertThat(spotify.counters().tracksRequests(user.id())).as("only the first page, which told of the change")
			.isEqualTo(1);
		assertThat(next.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("full-sync-budget-used");
	}

}
