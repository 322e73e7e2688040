package dev.savedtracks.library.sync;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.Library.Progress;

import static org.assertj.core.api.Assertions.assertThat;

class SyncProgressTrackerTest {

	@Test
	void theTotalIsUnknownUntilThePlanNamesItEvenOnceTheFirstPageIsIn() {
		SyncProgress.Tracker tracker = new SyncProgress.Tracker();
		assertThat(tracker.snapshot()).isEqualTo(new Progress(0, 0));

		tracker.pageFetched();
		assertThat(tracker.snapshot()).as("the first page alone is not \"1 of 1\"").isEqualTo(new Progress(1, 0));

		tracker.pagesNeeded(20);
		tracker.pageFetched();
		assertThat(tracker.snapshot()).isEqualTo(new Progress(2, 20));
	}

	@Test
	void neverShowsMorePagesFetchedThanNeeded() {
		SyncProgress.Tracker tracker = new SyncProgress.Tracker();
		tracker.pagesNeeded(2);
		tracker.pageFetched();
		tracker.pageFetched();
		tracker.pageFetched();
		assertThat(tracker.snapshot()).isEqualTo(new Progress(3, 3));
	}

}
