package dev.savedtracks.library;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.answer.EncodedWindows;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.store.Head;

import static dev.savedtracks.library.LibraryFixtures.SYNCED;
import static dev.savedtracks.library.LibraryFixtures.head;
import static dev.savedtracks.library.LibraryFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encoded answers are reused only for exactly the library version and window they were
 * read from.
 */
class EncodedWindowsTest {

	private final EncodedWindows answers = new EncodedWindows(settings(DataSize.ofMegabytes(1)));

	@Test
	void answerIsReusedForTheSameVersionAndWindow() {
		this.answers.keep(first50("alice", head(7, SYNCED)), bytes("v7"));

		assertThat(this.answers.find(first50("alice", head(7, SYNCED)))).isEqualTo(bytes("v7"));
	}

	@Test
	void anyChangeOfVersionEpochSyncTimeWindowOrPersonMisses() {
		this.answers.keep(first50("alice", head(7, SYNCED)), bytes("v7"));

		assertThat(this.answers.find(first50("alice", head(8, SYNCED)))).isNull();
		// Deleted and synced again: the version starts over, the sync time and epoch do
		// not.
		assertThat(this.answers.find(first50("alice", head(7, SYNCED.plusMillis(1))))).isNull();
		assertThat(this.answers.find(first50("alice", otherEpoch(head(7, SYNCED))))).isNull();
		assertThat(this.answers.find(LibraryFixtures.open("alice", head(7, SYNCED), 50, 50))).isNull();
		assertThat(this.answers.find(LibraryFixtures.open("alice", head(7, SYNCED), 0, 51))).isNull();
		assertThat(this.answers.find(first50("bob", head(7, SYNCED)))).isNull();
	}

	@Test
	void deletingAPersonDropsTheirAnswersOnly() {
		this.answers.keep(first50("alice", head(7, SYNCED)), bytes("alice"));
		this.answers.keep(first50("bob", head(7, SYNCED)), bytes("bob"));

		this.answers.forget(new AccountDirectory.AccountDeleted("alice"));

		assertThat(this.answers.find(first50("alice", head(7, SYNCED)))).isNull();
		assertThat(this.answers.find(first50("bob", head(7, SYNCED)))).isEqualTo(bytes("bob"));
	}

	@Test
	void sizeZeroTurnsTheCacheOff() {
		EncodedWindows off = new EncodedWindows(settings(DataSize.ofBytes(0)));

		off.keep(first50("alice", head(7, SYNCED)), bytes("v7"));

		assertThat(off.find(first50("alice", head(7, SYNCED)))).isNull();
	}

	private static OpenLibrary first50(String accountId, Head head) {
		return LibraryFixtures.open(accountId, head, 0, 50);
	}

	private static Head otherEpoch(Head head) {
		return new Head(head.total(), head.spotifyTotal(), 0, 0, head.version(), head.epoch() + 1, 0, head.topSeq(),
				head.syncedAt(), head.checkedAt(), head.fullSyncedAt(), null, 0, null, null);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
