package dev.savedtracks.library;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.RequestRecord;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names come in the person's language, as in their own Spotify app: the browser's at
 * sign-in, changeable on the page; a change reads the library whole again.
 */
class PersonsLanguageTest extends EmulatedSpotifyTest {

	@Test
	void namesComeInTheLanguageOfTheBrowserThatSignedIn() {
		EmulatedUser user = newUser(5);
		SavedTrack track = user.library().get(0);
		spotify.localize(track.name(), "ja", "夜に駆ける").localize(track.artists().get(0).name(), "ja", "YOASOBI（ヨアソビ）");
		BrowserSession browser = new BrowserSession(appUrl()).language("ja-JP,ja;q=0.9,en;q=0.8");
		browser.signIn(user.id());

		JsonNode first = read(browser.api("/api/saved-tracks")).get("items").get(0);

		assertThat(first.get("name").asString()).isEqualTo("夜に駆ける");
		assertThat(first.get("artists").get(0).get("name").asString()).isEqualTo("YOASOBI（ヨアソビ）");
		assertThat(read(browser.api("/api/me")).get("language").asString()).isEqualTo("ja-jp,ja;q=0.9,en;q=0.8");
	}

	@Test
	void withoutALanguageNamesComeAsSpotifySendsThemToAnyone() {
		EmulatedUser user = newUser(5);
		SavedTrack track = user.library().get(0);
		spotify.localize(track.name(), "ja", "夜に駆ける");
		BrowserSession browser = signedIn(user);

		JsonNode first = read(browser.api("/api/saved-tracks")).get("items").get(0);

		assertThat(first.get("name").asString()).isEqualTo(track.name());
	}

	@Test
	void changingTheLanguageReadsTheWholeLibraryAgainInIt() {
		EmulatedUser user = newUser(120);
		SavedTrack deep = user.library().get(100);
		spotify.localize(deep.name(), "el", "Συννεφιασμένη Κυριακή");
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		spotify.counters().reset();

		JsonNode changed = read(browser.write("PUT", "/api/me/language", "{\"language\":\"el-GR, el;q=0.8\"}"));
		JsonNode body = read(browser.api("/api/saved-tracks"));

		assertThat(changed.get("language").asString()).isEqualTo("el-gr,el;q=0.8");
		assertThat(body.get("items").get(100).get("name").asString()).isEqualTo("Συννεφιασμένη Κυριακή");
		assertThat(spotify.counters().tracksRequestLog()).extracting(RequestRecord::offset).contains(0, 50, 100);
	}

	@Test
	void aLanguageThatIsNotOneIsRefusedAndAKeyCannotChangeIt() {
		BrowserSession browser = signedIn(newUser(1));

		assertThat(browser.write("PUT", "/api/me/language", "{\"language\":\"<script>\"}").statusCode()).isEqualTo(400);
		assertThat(browser.writeWithoutCsrf("PUT", "/api/me/language", "{\"language\":\"ja\"}").statusCode())
			.isEqualTo(403);
	}

}
