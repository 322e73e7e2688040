package dev.savedtracks.library.sync;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.store.LibraryWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/** What is remembered, and said, of a failed sync. */
@ExtendWith(OutputCaptureExtension.class)
class SyncFailuresTest {

	private final LibraryWriter writer = mock(LibraryWriter.class);

	private final SyncFailures failures = new SyncFailures(this.writer,
			LibraryFixtures.settings(DataSize.ofMegabytes(1)), Clock.systemUTC());

	private final SyncOutcome.Failed refusedWrite = new SyncOutcome.Failed(
			new DataIntegrityViolationException("Referential integrity constraint violation: ('alice')"));

	@Test
	void aFailedFirstSyncIsWarnedOfAndBacksOff(CapturedOutput output) {
		this.failures.failed("alice", null, this.refusedWrite);

		assertThat(output).contains("WARN").contains("Sync of a library failed");
		assertThat(this.failures.coldFailure("alice")).isNotNull();
	}

	@Test
	void aSyncWhosePersonDeletedTheirDataMeanwhileIsNoFailure(CapturedOutput output) {
		this.failures.deleted(new AccountDirectory.AccountDeleted("alice"));

		this.failures.failed("alice", null, this.refusedWrite);
		this.failures.failed("alice", LibraryFixtures.copy(0, 3), this.refusedWrite);

		assertThat(output).doesNotContain("WARN")
			.doesNotContain("Referential integrity")
			.contains("its person deleted their data meanwhile");
		assertThat(this.failures.coldFailure("alice")).isNull();
		verify(this.writer, never()).recordFailure(anyString(), any(), any(), anyString());
	}

	@Test
	void signingInAgainAfterDeletingMakesFailuresCountAgain(CapturedOutput output) {
		this.failures.deleted(new AccountDirectory.AccountDeleted("alice"));
		this.failures.signedIn(new AccountDirectory.SignedIn("alice"));

		this.failures.failed("alice", null, this.refusedWrite);

		assertThat(output).contains("Sync of a library failed");
		assertThat(this.failures.coldFailure("alice")).isNotNull();
	}

}
