package dev.savedtracks.emulator;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.savedtracks.emulator.EmulatorClient.REDIRECT_URI;
import static org.assertj.core.api.Assertions.assertThat;

/** Proves that emulated libraries change and misbehave as real Spotify libraries do. */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the build.
@Timeout(10)
class LibraryScenariosTest {

	private SpotifyEmulator emulator;

	private EmulatorClient client;

	@BeforeEach
	void startEmulator() {
		this.emulator = SpotifyEmulator.start().allowRedirectUri(REDIRECT_URI);
		this.client = new EmulatorClient(this.emulator);
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void generatedLibrariesAreDeterministicPerUserId() {
		try (SpotifyEmulator other = SpotifyEmulator.start()) {
			assertThat(other.user("alice").generateLibrary(30).library())
				.isEqualTo(this.emulator.user("alice").generateLibrary(30).library());
			assertThat(other.user("bob").generateLibrary(30).library().get(0).id())
				.isNotEqualTo(this.emulator.user("alice").library().get(0).id());
		}
	}

	@Test
	void savesGoToTheTopAndRemovalsShiftTheRest() {
		EmulatedUser user = this.emulator.user("alice").generateLibrary(5);
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

}
