package dev.savedtracks.library.sync;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.store.TrackRow;

import static org.assertj.core.api.Assertions.assertThat;

/** Listings compared with runs of tracks saved in the same second as sets. */
class TieRunsTest {

	private static final String T1 = "2024-03-01T12:00:02Z";

	private static final String T2 = "2024-03-01T12:00:01Z";

	private static final String T3 = "2024-03-01T12:00:00Z";

	@Test
	void aTieInAnotherOrderIsTheSameListing() {
		List<TrackRow> cached = List.of(row("a", T1), row("b", T2), row("c", T2), row("d", T2), row("e", T3));

		assertThat(TieRuns.sameListing(cached,
				List.of(row("a", T1), row("d", T2), row("b", T2), row("c", T2), row("e", T3))))
			.isTrue();
		assertThat(TieRuns.startsWith(cached, List.of(row("a", T1), row("c", T2), row("b", T2)), 0))
			.as("a page that ends within the tie lists tracks of the cached run")
			.isTrue();
	}

	@Test
	void anotherTrackOrAnotherTimeIsAChange() {
		List<TrackRow> cached = List.of(row("a", T1), row("b", T2), row("c", T2), row("e", T3));

		assertThat(TieRuns.sameListing(cached, List.of(row("a", T1), row("b", T2), row("x", T2), row("e", T3))))
			.isFalse();
		assertThat(TieRuns.sameListing(cached, List.of(row("a", T1), row("b", T2), row("e", T3), row("c", T2))))
			.isFalse();
		assertThat(TieRuns.sameListing(cached, List.of(row("b", T1), row("a", T1), row("c", T2), row("e", T3))))
			.as("different save times are ordered")
			.isFalse();
		assertThat(TieRuns.startsWith(cached, List.of(row("a", T1), row("x", T2)), 0)).isFalse();
		assertThat(TieRuns.startsWith(cached,
				List.of(row("a", T1), row("b", T2), row("c", T2), row("e", T3), row("f", T3)), 0))
			.isFalse();
	}

	@Test
	void theCachedTopIsFoundAnywhereInItsTie() {
		List<TrackRow> cachedTop = List.of(row("b", T2), row("c", T2), row("e", T3));

		assertThat(TieRuns.indexOfRun(List.of(row("n", T1), row("c", T2), row("b", T2), row("e", T3)), cachedTop))
			.isEqualTo(1);
		assertThat(TieRuns.indexOfRun(List.of(row("n", T1), row("x", T2)), cachedTop)).isEqualTo(-1);
	}

	private static TrackRow row(String key, String addedAt) {
		return new TrackRow(key, addedAt, "");
	}

}
