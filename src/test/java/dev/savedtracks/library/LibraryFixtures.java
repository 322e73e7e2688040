package dev.savedtracks.library;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.util.unit.DataSize;

/** Heads, rows and settings for the library's unit tests, built without a database. */
final class LibraryFixtures {

	static final Instant SYNCED = Instant.parse("2026-11-27T10:00:00Z");

	private LibraryFixtures() {
	}

	/** A complete copy of {@code total} tracks, as Spotify counted them, synced and confirmed at {@code syncedAt}. */
	static Head head(int total, long version, Instant syncedAt) {
		return new Head(total, total, 0, 0, version, 42, 0, total, syncedAt, syncedAt, syncedAt, null, 0, null, null);
	}

	static Head head(long version, Instant syncedAt) {
		return head(100, version, syncedAt);
	}

	/** The same copy with Spotify's own count. */
	static Head withSpotifyTotal(Head head, int spotifyTotal) {
		return new Head(head.total(), spotifyTotal, head.removed(), head.duplicates(), head.version(), head.epoch(),
				head.generation(), head.topSeq(), head.syncedAt(), head.checkedAt(), head.fullSyncedAt(),
				head.staleReason(), head.failures(), head.retryAt(), head.contentDigest());
	}

	static OpenLibrary open(String accountId, Head head, int offset, int limit) {
		return new OpenLibrary(accountId, head, null, new LibraryWindow(offset, limit, LibraryWindow.Refresh.NONE),
				null);
	}

	/** A row of track {@code id} saved at {@code addedAt}. */
	static TrackRow row(String id, String addedAt) {
		return new TrackRow(id, addedAt, "{\"id\":\"" + id + "\"}");
	}

	/** Rows t{from}..t{to} (descending), one hour apart, the first the most recent. */
	static List<TrackRow> rows(int from, int to) {
		return java.util.stream.IntStream.iterate(from, i -> i >= to, i -> i - 1)
			.mapToObj(i -> row("t" + i, Instant.parse("2020-01-01T00:00:00Z").plusSeconds(3600L * i).toString()))
			.toList();
	}

	static LibrarySettings settings(DataSize responseCache) {
		return new LibrarySettings(Duration.ofMinutes(5), 3, Duration.ofSeconds(30), Duration.ofSeconds(60),
				responseCache, Duration.ofHours(24), Duration.ofMinutes(15), 4, 8, Duration.ofSeconds(30),
				Duration.ofMinutes(15), 32, 2, Duration.ofMinutes(30), Duration.ofMinutes(15), DataSize.ofMegabytes(32),
				20, Duration.ofSeconds(10), 24, false, Duration.ofDays(3), Duration.ofMinutes(1));
	}

}
