package dev.savedtracks.library;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.account.AccountDirectory;

import static org.assertj.core.api.Assertions.assertThat;

/** Encoded answers are reused only for exactly the library version and window they were read from. */
class EncodedWindowsTest {

	private static final Instant SYNCED = Instant.parse("2026-11-27T10:00:00Z");

	private static final LibraryWindow FIRST_50 = new LibraryWindow(0, 50, false);

	private final EncodedWindows answers = new EncodedWindows(settings(DataSize.ofMegabytes(1)));

	@Test
	void answerIsReusedForTheSameVersionAndWindow() {
		this.answers.keep("alice", head(7, SYNCED), FIRST_50, bytes("v7"));

		assertThat(this.answers.find("alice", head(7, SYNCED), FIRST_50)).isEqualTo(bytes("v7"));
	}

	@Test
	void anyChangeOfVersionSyncTimeWindowOrPersonMisses() {
		this.answers.keep("alice", head(7, SYNCED), FIRST_50, bytes("v7"));

		assertThat(this.answers.find("alice", head(8, SYNCED), FIRST_50)).isNull();
		// Deleted and synced again: the version starts over, the sync time does not.
		assertThat(this.answers.find("alice", head(7, SYNCED.plusMillis(1)), FIRST_50)).isNull();
		assertThat(this.answers.find("alice", head(7, SYNCED), new LibraryWindow(50, 50, false))).isNull();
		assertThat(this.answers.find("alice", head(7, SYNCED), new LibraryWindow(0, 51, false))).isNull();
		assertThat(this.answers.find("bob", head(7, SYNCED), FIRST_50)).isNull();
	}

	@Test
	void deletingAPersonDropsTheirAnswersOnly() {
		this.answers.keep("alice", head(7, SYNCED), FIRST_50, bytes("alice"));
		this.answers.keep("bob", head(7, SYNCED), FIRST_50, bytes("bob"));

		this.answers.forget(new AccountDirectory.AccountDeleted("alice"));

		assertThat(this.answers.find("alice", head(7, SYNCED), FIRST_50)).isNull();
		assertThat(this.answers.find("bob", head(7, SYNCED), FIRST_50)).isEqualTo(bytes("bob"));
	}

	@Test
	void sizeZeroTurnsTheCacheOff() {
		EncodedWindows off = new EncodedWindows(settings(DataSize.ofBytes(0)));

		off.keep("alice", head(7, SYNCED), FIRST_50, bytes("v7"));

		assertThat(off.find("alice", head(7, SYNCED), FIRST_50)).isNull();
	}

	private static LibraryReader.Head head(long version, Instant syncedAt) {
		return new LibraryReader.Head(100, syncedAt, version, LibraryState.SyncState.COMPLETE, syncedAt, 0);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static LibrarySettings settings(DataSize responseCache) {
		return new LibrarySettings(Duration.ofMinutes(5), 3, Duration.ofSeconds(30), Duration.ofSeconds(60),
				responseCache);
	}

}
