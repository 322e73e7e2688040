package dev.savedtracks.library;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.answer.Rows;
import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.SeqRow;
import dev.savedtracks.library.store.TrackRow;

/** Heads, rows and settings for the library's unit tests, built without a database. */
public final class LibraryFixtures {

	public static final Instant SYNCED = Instant.parse("2026-11-27T10:00:00Z");

	private LibraryFixtures() {
	}

	/**
	 * A complete copy of {@code total} tracks, as Spotify counted them, synced and
	 * confirmed at {@code syncedAt}.
	 */
	public static Head head(int total, long version, Instant syncedAt) {
		return new Head(total, total, 0, 0, version, 42, 0, total, syncedAt, syncedAt, syncedAt, null, 0, null, null);
	}

	public static Head head(long version, Instant syncedAt) {
		return head(100, version, syncedAt);
	}

	/**
	 * A copy of {@code total} tracks written as {@code generation}, its rows numbered 1
	 * to {@code total}.
	 */
	public static Head copy(long generation, int total) {
		return new Head(total, total, 0, 0, 1, 42, generation, total, SYNCED, SYNCED, SYNCED, null, 0, null, null);
	}

	/**
	 * {@code rows}, the most recent first, numbered as a full sync numbers them: the
	 * first gets the highest seq.
	 */
	public static List<SeqRow> numbered(List<TrackRow> rows) {
		return IntStream.range(0, rows.size()).mapToObj(i -> new SeqRow(rows.size() - i, rows.get(i))).toList();
	}

	/** The same copy with Spotify's own count. */
	public static Head withSpotifyTotal(Head head, int spotifyTotal) {
		return new Head(head.total(), spotifyTotal, head.removed(), head.duplicates(), head.version(), head.epoch(),
				head.generation(), head.topSeq(), head.syncedAt(), head.checkedAt(), head.fullSyncedAt(),
				head.staleReason(), head.failures(), head.retryAt(), head.contentDigest());
	}

	/** The same copy, marked stale for {@code reason}. */
	public static Head withStaleReason(Head head, @Nullable StaleReason reason) {
		return new Head(head.total(), head.spotifyTotal(), head.removed(), head.duplicates(), head.version(),
				head.epoch(), head.generation(), head.topSeq(), head.syncedAt(), head.checkedAt(), head.fullSyncedAt(),
				reason, head.failures(), head.retryAt(), head.contentDigest());
	}

	/** {@code first}, then {@code rest}. */
	public static List<TrackRow> concat(List<TrackRow> first, List<TrackRow> rest) {
		List<TrackRow> all = new ArrayList<>(first);
		all.addAll(rest);
		return List.copyOf(all);
	}

	/** {@code rows}, handed over in chunks of {@code chunk}, without a database. */
	public static Rows rows(List<String> rows, int chunk) {
		return sink -> {
			for (int from = 0; from < rows.size(); from += chunk) {
				sink.accept(rows.subList(from, Math.min(rows.size(), from + chunk)));
			}
		};
	}

	public static OpenLibrary open(String accountId, Head head, int offset, int limit) {
		return new OpenLibrary(accountId, head, null, new Window(offset, limit), null);
	}

	/** A row of track {@code id} saved at {@code addedAt}. */
	public static TrackRow row(String id, String addedAt) {
		return new TrackRow(id, addedAt, "{\"id\":\"" + id + "\"}");
	}

	/** Rows t{from}..t{to} (descending), one hour apart, the first the most recent. */
	public static List<TrackRow> rows(int from, int to) {
		return IntStream.iterate(from, i -> i >= to, i -> i - 1)
			.mapToObj(i -> row("t" + i, Instant.parse("2020-01-01T00:00:00Z").plusSeconds(3600L * i).toString()))
			.toList();
	}

	public static LibrarySettings settings(DataSize responseCache) {
		return settings(responseCache, false);
	}

	public static LibrarySettings settings(DataSize responseCache, boolean warmUp) {
		return new LibrarySettings(Duration.ofMinutes(5), 3, Duration.ofSeconds(30), Duration.ofSeconds(60),
				responseCache, Duration.ofHours(24), Duration.ofMinutes(15), 4, 8, Duration.ofSeconds(30),
				Duration.ofMinutes(15), 32, 2, Duration.ofMinutes(30), Duration.ofMinutes(15), DataSize.ofMegabytes(32),
				20, Duration.ofSeconds(10), 24, warmUp, Duration.ofDays(3), Duration.ofMinutes(1), 100);
	}

	/** Settings with {@code answerMemory} for the answers held in memory. */
	public static LibrarySettings settings(DataSize responseCache, DataSize answerMemory) {
		return settings(responseCache, answerMemory, 32, 2);
	}

	/**
	 * Settings with {@code answerMemory}, {@code exportThreads} and
	 * {@code exportsPerAccount} for streamed answers.
	 */
	public static LibrarySettings settings(DataSize responseCache, DataSize answerMemory, int exportThreads,
			int exportsPerAccount) {
		LibrarySettings settings = settings(responseCache);
		return new LibrarySettings(settings.freshness(), settings.maxSyncAttempts(), settings.syncLease(),
				settings.syncWait(), responseCache, settings.fullSyncInterval(), settings.fullRefreshInterval(),
				settings.maxConcurrentSyncs(), settings.maxWaitersPerLibrary(), settings.failureBackoff(),
				settings.maxFailureBackoff(), exportThreads, exportsPerAccount, settings.exportTimeout(),
				settings.retiredCopyGrace(), answerMemory, settings.maxTopPages(), settings.minRecheck(),
				settings.maxFullSyncsPerDay(), settings.warmUp(), settings.warmUpReadWithin(), settings.warmUpLead(),
				settings.maxWaitersTotal());
	}

}
