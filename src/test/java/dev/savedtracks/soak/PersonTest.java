package dev.savedtracks.soak;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.savedtracks.emulator.SavedTrack;
import dev.savedtracks.emulator.SpotifyEmulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the soak test judges an answer's content against the versions of a library the
 * emulator held.
 */
class PersonTest {

	private final SpotifyEmulator spotify = SpotifyEmulator.start();

	@AfterEach
	void stop() {
		this.spotify.close();
	}

	@Test
	void windowOfTheCurrentLibraryLagsNothing() {
		Person person = new Person(this.spotify.user("judged").generateLibrary(10));
		List<String> ids = ids(person).subList(2, 5);
		long now = System.nanoTime();

		long lag = person.lag(ids, 10, 2, 3, now, now + 1);

		assertThat(lag).isZero();
	}

	@Test
	void replacedVersionLagsBySinceItWasReplaced() throws InterruptedException {
		Person person = new Person(this.spotify.user("changing").generateLibrary(10));
		List<String> before = ids(person);
		person.change(user -> user.removeTrackAt(0));
		Thread.sleep(20);
		long start = System.nanoTime();

		long lag = person.lag(before, 10, 0, -1, start, start + 1);

		assertThat(lag).isGreaterThanOrEqualTo(20_000_000L);
	}

	@Test
	void truncatedWholeLibraryMatchesNoVersion() {
		Person person = new Person(this.spotify.user("truncated").generateLibrary(10));
		List<String> firstHalf = ids(person).subList(0, 5);
		long now = System.nanoTime();

		assertThat(person.lag(firstHalf, 10, 0, -1, now, now + 1)).isNegative();
		assertThat(person.lag(firstHalf, -1, 0, -1, now, now + 1)).as("a download, which has no total").isNegative();
	}

	@Test
	void versionThatCameAfterTheAnswerDoesNotCount() {
		Person person = new Person(this.spotify.user("early").generateLibrary(10));
		long answered = System.nanoTime();
		person.change(user -> user.saveNewTracks(2));
		List<String> later = ids(person);

		long lag = person.lag(later, 12, 0, -1, answered - 1000, answered);

		assertThat(lag).isNegative();
	}

	@Test
	void windowPastTheEndIsEmpty() {
		Person person = new Person(this.spotify.user("short").generateLibrary(3));
		long now = System.nanoTime();

		assertThat(person.lag(List.of(), 3, 7, 50, now, now + 1)).isZero();
		assertThat(person.lag(List.of(), 4, 7, 50, now, now + 1)).as("with the wrong total").isNegative();
	}

	private static List<String> ids(Person person) {
		return person.user().visibleLibrary().stream().map(SavedTrack::id).toList();
	}

}
