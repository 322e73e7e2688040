package dev.savedtracks.library.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.store.SeqRow;
import dev.savedtracks.library.store.TrackRow;

import static dev.savedtracks.library.LibraryFixtures.row;
import static dev.savedtracks.library.LibraryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * How a copy places the pages of a library of 200 tracks, {@code t200} (the newest) to
 * {@code t1}, when three tracks are saved on top while its pages are read: track
 * {@code ti} belongs at place {@code i}, whichever page listed it.
 */
class NewGenerationTest {

	private final LibraryWriter writer = mock(LibraryWriter.class);

	private final List<TrackRow> saves = List.of(row("s3", "2030-01-01T00:00:03Z"), row("s2", "2030-01-01T00:00:02Z"),
			row("s1", "2030-01-01T00:00:01Z"));

	@Test
	void placesListedByNoPageAroundASaveAreNamedAndTakenInFromThePagesThatHoldThemNow() {
		NewGeneration copy = copy();
		// Page 1 answered after the saves, page 2 before them, page 3 after.
		copy.add(page(50, 203, rows(153, 104)));
		copy.add(page(100, 200, rows(100, 51)));
		copy.add(page(150, 203, rows(53, 4)));

		List<Integer> missing = copy.pagesMissing(203, 32);
		boolean filled = copy.fill(page(100, 203, rows(103, 54))) && copy.fill(page(200, 203, rows(3, 1)));

		assertThat(missing).as("t103..t101 are on page 2 now, t3..t1 on page 4").containsExactly(2, 4);
		assertThat(filled).isTrue();
		assertThat(copy.holdsEveryPlaceAndNoneOf(this.saves)).isTrue();
		assertThat(copy.pagesMissing(203, 32)).isEmpty();
		assertThat(written(copy)).hasSize(200).allSatisfy(seq -> assertThat(seq.seq()).isEqualTo(number(seq)));
	}

	@Test
	void pagesThatOverlapAfterASaveKeepEachTrackOnceAtItsPlace() {
		NewGeneration copy = copy();
		copy.add(page(50, 200, rows(150, 101)));
		copy.add(page(100, 203, rows(103, 54)));
		copy.add(page(150, 203, rows(53, 4)));

		List<Integer> missing = copy.pagesMissing(203, 32);

		assertThat(missing).as("only the end, pushed past the pages read").containsExactly(4);
		assertThat(copy.fill(page(200, 203, rows(3, 1)))).isTrue();
		assertThat(copy.holdsEveryPlaceAndNoneOf(this.saves)).isTrue();
		assertThat(written(copy)).hasSize(200).allSatisfy(seq -> assertThat(seq.seq()).isEqualTo(number(seq)));
	}

	@Test
	void countRisingWithoutTheOverlapSavesOnTopMakeIsNotTakenForSaves() {
		// A track saved deep in the library with a past time, between t121 and t120,
		// before page 1 is answered: page 1 counts one more, but its tracks above the
		// save did not move down, so they do not stand where the count puts them.
		NewGeneration copy = copy();
		TrackRow deep = row("deep", "2020-01-06T00:30:00Z");
		copy.add(
				page(50, 201, Stream.of(rows(150, 121), List.of(deep), rows(120, 102)).flatMap(List::stream).toList()));
		copy.add(page(100, 201, rows(101, 52)));
		copy.add(page(150, 201, rows(51, 2)));
		copy.add(page(200, 201, rows(1, 1)));

		assertThat(copy.consistent()).isFalse();
		assertThat(copy.pagesMissing(201, 32)).as("places that cannot be trusted name no page").isNull();
		assertThat(copy.holdsEveryPlaceAndNoneOf(List.of())).isFalse();
		List<SeqRow> written = written(copy);
		assertThat(written).hasSize(201);
		assertThat(written.stream().map(SeqRow::seq).toList()).as("still one place each, in Spotify's order")
			.doesNotHaveDuplicates()
			.isSortedAccordingTo((a, b) -> Integer.compare(b, a));
	}

	@Test
	void shortPageInTheMiddleNamesNoPlaceToReadAgain() {
		// Spotify left two unavailable tracks out of page 1: the places of the tracks
		// after them are not known.
		NewGeneration copy = copy();
		copy.add(page(50, 203, rows(153, 106)));
		copy.add(page(100, 200, rows(100, 51)));

		assertThat(copy.pagesMissing(203, 32)).isNull();
		assertThat(copy.holdsEveryPlaceAndNoneOf(List.of())).isFalse();
	}

	@Test
	void pageReadAgainThatListsATrackElsewhereContradictsTheCopy() {
		NewGeneration copy = copy();
		copy.add(page(50, 203, rows(153, 104)));
		copy.add(page(100, 200, rows(100, 51)));

		boolean filled = copy.fill(page(100, 204, rows(103, 54)));

		assertThat(filled).as("a fourth save would have put t103 one place lower").isFalse();
	}

	private NewGeneration copy() {
		return new NewGeneration(this.writer, "person", 1, page(0, 200, rows(200, 151)), mock(Lease.class));
	}

	@SuppressWarnings("unchecked")
	private List<SeqRow> written(NewGeneration copy) {
		copy.finish(null);
		ArgumentCaptor<List<SeqRow>> rows = ArgumentCaptor.forClass(List.class);
		verify(this.writer, org.mockito.Mockito.atLeastOnce()).write(anyString(), anyLong(), rows.capture(),
				any(Lease.class));
		List<SeqRow> all = new ArrayList<>();
		rows.getAllValues().forEach(all::addAll);
		return all;
	}

	private static int number(SeqRow seq) {
		return Integer.parseInt(seq.row().key().substring(1));
	}

	private static PageRows page(int offset, int total, List<TrackRow> rows) {
		return new PageRows(offset, total,
				IntStream.range(0, rows.size()).mapToObj(i -> new PageRows.Indexed(i, rows.get(i))).toList(), 0, 0,
				Instant.parse("2026-12-07T12:00:00Z"));
	}

}
