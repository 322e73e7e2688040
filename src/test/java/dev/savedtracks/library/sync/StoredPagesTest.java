package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.store.TrackRow;

import static dev.savedtracks.library.LibraryFixtures.SYNCED;
import static dev.savedtracks.library.LibraryFixtures.head;
import static dev.savedtracks.library.LibraryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * When the pages of a failed full sync are taken up by the next one: only when nothing
 * moved, once, within half an hour, and never after the person deleted their data.
 */
class StoredPagesTest {

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private final PageRows first = page(0, 200, rows(200, 151));

	@Test
	void keptPagesAreTakenUpOnceWhenTheFirstPageIsTheSame() {
		StoredPages stored = new StoredPages(Clock.fixed(NOW, ZoneOffset.UTC));
		NewGeneration copy = copyReadTo(2);
		stored.keep("person", null, copy);

		NewGeneration resumed = stored.resume("person", null, page(0, 200, rows(200, 151)));

		assertThat(resumed).isSameAs(copy);
		assertThat(resumed.nextPage()).isEqualTo(2);
		assertThat(stored.resume("person", null, this.first)).as("taken up once").isNull();
	}

	@Test
	void copyTakenUpIsCheckedWhenTheSyncThatTookItUpAskedForItsFirstPage() {
		NewGeneration copy = copyReadTo(2);
		List<TrackRow> same = rows(200, 151);
		PageRows later = new PageRows(0, 200,
				IntStream.range(0, same.size()).mapToObj(i -> new PageRows.Indexed(i, same.get(i))).toList(), 0, 0,
				NOW.plus(Duration.ofMinutes(10)));

		copy.continueUnder(mock(Lease.class), later);

		assertThat(copy.finish(null).checkedAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
	}

	@Test
	void keptPagesAreNotTakenUpWhenTheFirstPageOrTheCopyItStartedFromMoved() {
		StoredPages stored = new StoredPages(Clock.fixed(NOW, ZoneOffset.UTC));
		stored.keep("saved-on-top", null, copyReadTo(2));
		stored.keep("synced-elsewhere", null, copyReadTo(2));

		assertThat(stored.resume("saved-on-top", null, page(0, 201, rows(201, 152)))).isNull();
		assertThat(stored.resume("synced-elsewhere", head(200, 1, SYNCED), this.first)).isNull();
	}

	@Test
	void keptPagesAreForgottenWhenThePersonDeletesTheirData() {
		StoredPages stored = new StoredPages(Clock.fixed(NOW, ZoneOffset.UTC));
		stored.keep("person", null, copyReadTo(2));

		stored.forget(new AccountDirectory.AccountDeleted("person"));

		assertThat(stored.resume("person", null, this.first)).isNull();
	}

	@Test
	void keptPagesAreForgottenAfterHalfAnHour() {
		MovingClock clock = new MovingClock();
		StoredPages stored = new StoredPages(clock);
		stored.keep("person", null, copyReadTo(2));

		clock.now = NOW.plus(Duration.ofMinutes(StoredPages.KEEP_MINUTES + 1));

		assertThat(stored.resume("person", null, this.first)).isNull();
	}

	/** A copy of a 200-track library whose sync failed after {@code pages} pages. */
	private NewGeneration copyReadTo(int pages) {
		NewGeneration copy = new NewGeneration(mock(LibraryWriter.class), "person", 0, this.first, mock(Lease.class));
		for (int i = 1; i < pages; i++) {
			copy.add(page(i * 50, 200, rows(200 - i * 50, 151 - i * 50)));
		}
		return copy;
	}

	private static PageRows page(int offset, int total, List<TrackRow> rows) {
		return new PageRows(offset, total,
				IntStream.range(0, rows.size()).mapToObj(i -> new PageRows.Indexed(i, rows.get(i))).toList(), 0, 0,
				Instant.EPOCH);
	}

	private static final class MovingClock extends Clock {

		private Instant now = NOW;

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
