package dev.savedtracks.library.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.TrackRow;

import static dev.savedtracks.library.LibraryFixtures.SYNCED;
import static dev.savedtracks.library.LibraryFixtures.concat;
import static dev.savedtracks.library.LibraryFixtures.head;
import static dev.savedtracks.library.LibraryFixtures.row;
import static dev.savedtracks.library.LibraryFixtures.rows;
import static dev.savedtracks.library.LibraryFixtures.withSpotifyTotal;
import static dev.savedtracks.library.LibraryFixtures.withStaleReason;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a sync does, decided from Spotify's first page and the cached copy: nothing, fetch
 * the additions on top, or read the whole library again. The cached copy in most cases is
 * t100..t1, t100 the most recent save.
 */
class SyncPlanTest {

	private static final int MAX_TOP_PAGES = 20;

	private final Head cached = head(100, 7, SYNCED);

	private final List<TrackRow> cachedTop = rows(100, 51);

	@Test
	void fullReconciliationFallsDueWithinTheLastQuarterOfTheIntervalSpreadOverLibraries() {
		Instant synced = Instant.parse("2026-12-01T00:00:00Z");
		Duration day = Duration.ofHours(24);

		List<Duration> dueAfter = IntStream.range(0, 200)
			.mapToObj(i -> "person-" + i)
			.map(account -> firstDue(account, synced, day))
			.toList();

		assertThat(dueAfter).allSatisfy(due -> assertThat(due).isBetween(Duration.ofHours(18), day));
		assertThat(dueAfter.stream().map(Duration::toMinutes).distinct().count())
			.as("spread over the last quarter, not all at once")
			.isGreaterThan(120);
		assertThat(firstDue("person-7", synced, day)).as("the same on every replica")
			.isEqualTo(firstDue("person-7", synced, day));
	}

	@Test
	void fullReconciliationIsNotDueBeforeThreeQuartersOfTheInterval() {
		Instant synced = Instant.parse("2026-12-01T00:00:00Z");

		assertThat(SyncPlan.fullReconciliationDue("anyone", synced, Duration.ofHours(24),
				synced.plus(Duration.ofHours(18)).minusSeconds(1)))
			.isFalse();
		assertThat(SyncPlan.fullReconciliationDue("anyone", synced, Duration.ofHours(24),
				synced.plus(Duration.ofHours(24))))
			.isTrue();
	}

	/**
	 * The first whole minute after {@code synced} at which the library's reconciliation
	 * is due.
	 */
	private static Duration firstDue(String account, Instant synced, Duration interval) {
		for (long minute = 0; minute <= interval.toMinutes(); minute++) {
			if (SyncPlan.fullReconciliationDue(account, synced, interval, synced.plus(Duration.ofMinutes(minute)))) {
				return Duration.ofMinutes(minute);
			}
		}
		throw new AssertionError("never due");
	}

	@Test
	void sameCountAndSameFirstPageIsUnchanged() {
		PageRows first = firstPage(100, rows(100, 51));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Unchanged.class);
	}

	@Test
	void shortLibraryWhoseOnlyPageIsTheCachedCopyIsUnchanged() {
		Head small = head(3, 7, SYNCED);

		SyncPlan plan = SyncPlan.decide(firstPage(3, rows(3, 1)), small, rows(3, 1), false, MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Unchanged.class);
	}

	@Test
	void tracksSavedOnTopWithinTheFirstPageAreAddedOnTop() {
		List<TrackRow> added = List.of(row("new2", "2030-01-01T00:00:02Z"), row("new1", "2030-01-01T00:00:01Z"));
		PageRows first = firstPage(102, concat(added, rows(100, 53)));

		SyncPlan plan = decide(first);

		assertThat(plan).isEqualTo(new SyncPlan.AddOnTop(added));
	}

	@Test
	void tracksSavedOnTopDuringAFullSyncAreTheOnlyChangeWhenTheOldFirstPageFollowsThem() {
		List<TrackRow> added = List.of(row("new2", "2030-01-01T00:00:02Z"), row("new1", "2030-01-01T00:00:01Z"));
		PageRows first = firstPage(100, rows(100, 51));

		List<TrackRow> onTop = SyncPlan.savedOnTop(first, firstPage(102, concat(added, rows(100, 53))));

		assertThat(onTop).isEqualTo(added);
	}

	@Test
	void aSaveOnTopTogetherWithARemovalBelowIsNotTakenInOnTop() {
		List<TrackRow> added = List.of(row("new2", "2030-01-01T00:00:02Z"), row("new1", "2030-01-01T00:00:01Z"));
		PageRows first = firstPage(100, rows(100, 51));
		List<TrackRow> withoutT99 = concat(List.of(row("t100", rows(100, 100).get(0).addedAt())), rows(98, 52));

		assertThat(SyncPlan.savedOnTop(first, firstPage(101, concat(added, withoutT99)))).isNull();
		assertThat(SyncPlan.savedOnTop(first, firstPage(99, rows(99, 50)))).isNull();
	}

	@Test
	void fortyNineAdditionsStillFitTheFirstPageWithTheCachedTopBelowThem() {
		List<TrackRow> added = newRows(49);
		PageRows first = firstPage(149, concat(added, rows(100, 100)));

		SyncPlan plan = decide(first);

		assertThat(plan).isEqualTo(new SyncPlan.AddOnTop(added));
	}

	@Test
	void fiftyAdditionsPushTheCachedTopToTheSecondPage() {
		PageRows first = firstPage(150, newRows(50));

		SyncPlan plan = decide(first);

		assertThat(plan).isEqualTo(new SyncPlan.FetchTop(2));
	}

	@Test
	void additionsSpanningSeveralPagesFetchThosePages() {
		PageRows first = firstPage(230, newRows(50));

		SyncPlan plan = decide(first);

		assertThat(plan).isEqualTo(new SyncPlan.FetchTop(3));
	}

	@Test
	void moreAdditionsThanTheTopPagesMayHoldAreAFullSync() {
		PageRows first = firstPage(100 + 3 * 50, newRows(50));

		SyncPlan plan = SyncPlan.decide(first, this.cached, this.cachedTop, false, 3);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
		assertThat(SyncPlan.decide(first, this.cached, this.cachedTop, false, 4)).isEqualTo(new SyncPlan.FetchTop(4));
	}

	@Test
	void droppedCountIsAFullSync() {
		PageRows first = firstPage(99, rows(99, 50));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void trackReSavedToTheTopWithTheCountUnchangedIsAFullSync() {
		PageRows first = firstPage(100, concat(List.of(row("t60", "2030-01-01T00:00:00Z")), rows(100, 52)));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void cachedTopNotWhereTheAdditionsWouldLeaveItIsAFullSync() {
		// One more track counted, but two above the cached top: one was removed deeper
		// down.
		PageRows first = firstPage(101, concat(newRows(2), rows(100, 53)));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void cachedTopMissingFromTheFirstPageIsAFullSync() {
		PageRows first = firstPage(101, concat(newRows(1), rows(99, 51)));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void changeBelowTheAdditionsIsAFullSync() {
		List<TrackRow> belowChanged = concat(rows(100, 99), rows(97, 50));
		PageRows first = firstPage(101, concat(newRows(1), belowChanged));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void cachedTopSavedAgainAtAnotherTimeIsAFullSync() {
		// The same track, re-saved: its key is the same, the time it was saved is not.
		List<TrackRow> reSaved = concat(List.of(row("t100", "2030-01-01T00:00:00Z")), rows(99, 51));
		PageRows first = firstPage(101, concat(newRows(1), reSaved));

		SyncPlan plan = decide(first);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void trackSavedTwiceOnTopAcrossPagesIsAFullSync() {
		// Rows of two pages side by side: a page keeps one of a pair, two pages cannot
		// see each other's.
		List<TrackRow> twice = List.of(row("new", "2030-01-01T00:00:02Z"), row("new", "2030-01-01T00:00:01Z"));

		SyncPlan plan = SyncPlan.additions(concat(twice, this.cachedTop), 2, this.cached, this.cachedTop);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void additionsFetchedOverSeveralPagesAreAddedOnTop() {
		List<TrackRow> added = newRows(60);

		SyncPlan plan = SyncPlan.additions(concat(added, rows(100, 61)), 60, this.cached, this.cachedTop);

		assertThat(plan).isEqualTo(new SyncPlan.AddOnTop(added));
	}

	@Test
	void additionsSpotifyCountsButDoesNotListAddOnlyTheVisibleOnes() {
		// Three more counted, one listed: two saves unavailable in the person's market.
		List<TrackRow> added = newRows(1);
		PageRows first = firstPage(103, concat(added, rows(100, 52)));

		SyncPlan plan = decide(first);

		assertThat(plan).isEqualTo(new SyncPlan.AddOnTop(added));
	}

	@Test
	void nothingCachedIsAFullSync() {
		SyncPlan plan = SyncPlan.decide(firstPage(100, rows(100, 51)), null, List.of(), false, MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void dueFullReconciliationIsAFullSyncEvenWhenNothingSeemsChanged() {
		PageRows unchanged = firstPage(100, rows(100, 51));

		SyncPlan plan = SyncPlan.decide(unchanged, this.cached, this.cachedTop, true, MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
		assertThat(decide(unchanged)).isInstanceOf(SyncPlan.Unchanged.class);
	}

	@Test
	void copyKeptWhileTheLibraryKeptChangingIsAFullSyncEvenWhenNothingSeemsChanged() {
		Head changing = withStaleReason(this.cached, StaleReason.LIBRARY_CHANGING);

		SyncPlan plan = SyncPlan.decide(firstPage(100, rows(100, 51)), changing, this.cachedTop, false, MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void copyStaleForAnotherReasonIsConfirmedAsUsual() {
		Head unavailable = withStaleReason(this.cached, StaleReason.SPOTIFY_UNAVAILABLE);

		SyncPlan plan = SyncPlan.decide(firstPage(100, rows(100, 51)), unavailable, this.cachedTop, false,
				MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Unchanged.class);
	}

	@Test
	void emptyLibraryStillEmptyIsUnchanged() {
		Head empty = head(0, 1, SYNCED);

		SyncPlan plan = SyncPlan.decide(firstPage(0, List.of()), empty, List.of(), false, MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Unchanged.class);
	}

	@Test
	void firstSavesIntoAnEmptyLibraryAreAddedOnTop() {
		Head empty = head(0, 1, SYNCED);
		List<TrackRow> added = newRows(3);

		SyncPlan plan = SyncPlan.decide(firstPage(3, added), empty, List.of(), false, MAX_TOP_PAGES);

		assertThat(plan).isEqualTo(new SyncPlan.AddOnTop(added));
	}

	@Test
	void additionsToALibraryWhoseCachedTracksAreAllUnavailableAreAFullSync() {
		// Spotify counted two tracks it did not list: nothing visible to compare the new
		// first page with.
		Head unlisted = withSpotifyTotal(head(0, 1, SYNCED), 2);

		SyncPlan plan = SyncPlan.decide(firstPage(3, newRows(1)), unlisted, List.of(), false, MAX_TOP_PAGES);

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	@Test
	void libraryEmptiedIsAFullSync() {
		SyncPlan plan = decide(firstPage(0, List.of()));

		assertThat(plan).isInstanceOf(SyncPlan.Full.class);
	}

	private SyncPlan decide(PageRows first) {
		return SyncPlan.decide(first, this.cached, this.cachedTop, false, MAX_TOP_PAGES);
	}

	/** {@code count} tracks saved after the cached copy, the most recent first. */
	private static List<TrackRow> newRows(int count) {
		return rows(1000 + count, 1001).stream().map(r -> row("new" + r.key(), r.addedAt())).toList();
	}

	/**
	 * Spotify's first page (offset 0) as the sync sees it: {@code rows} in order, Spotify
	 * counting {@code total}.
	 */
	private static PageRows firstPage(int total, List<TrackRow> rows) {
		return new PageRows(0, total,
				IntStream.range(0, rows.size()).mapToObj(i -> new PageRows.Indexed(i, rows.get(i))).toList(), 0, 0,
				Instant.EPOCH);
	}

}
