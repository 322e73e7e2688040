package dev.savedtracks.library.read;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.answer.OpenLibrary.Throttle;
import dev.savedtracks.library.read.ReadRequest.Refresh;
import dev.savedtracks.library.read.ServeOrSync.CacheResult;
import dev.savedtracks.library.read.ServeOrSync.Decision;
import dev.savedtracks.library.read.ServeOrSync.Refuse;
import dev.savedtracks.library.read.ServeOrSync.Serve;
import dev.savedtracks.library.read.ServeOrSync.Sync;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.sync.SyncOutcome;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyUnavailable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * The serve-or-sync decision as a table: for each state of the cached copy, what the
 * caller asks, and the time, whether the copy is served as it is (and how it is marked
 * and counted), synced first, or refused; then what a sync's outcome lets the caller
 * have. Freshness 5 min, recheck throttle 10 s, full refreshes every 15 min.
 */
class ServeOrSyncTest {

	private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

	private static final ServeOrSync.Rules RULES = new ServeOrSync.Rules(Duration.ofMinutes(5), Duration.ofSeconds(10),
			Duration.ofMinutes(15));

	/** Confirmed a minute ago, fully read an hour ago. */
	private static final Head FRESH = head(Duration.ofMinutes(1), Duration.ofHours(1), null, null);

	/** Confirmed six minutes ago: its freshness ran out. */
	private static final Head EXPIRED = head(Duration.ofMinutes(6), Duration.ofHours(1), null, null);

	/** Confirmed three seconds ago. */
	private static final Head JUST_CHECKED = head(Duration.ofSeconds(3), Duration.ofHours(1), null, null);

	/** Fully read five minutes ago, confirmed a minute ago. */
	private static final Head JUST_FULLY_READ = head(Duration.ofMinutes(1), Duration.ofMinutes(5), null, null);

	/** Fresh, but kept although Spotify's answers disagreed. */
	private static final Head FRESH_CHANGING = head(Duration.ofMinutes(1), Duration.ofHours(1),
			StaleReason.LIBRARY_CHANGING, null);

	/** Its last sync failed; no new attempt for 30 s. */
	private static final Head BACKING_OFF = head(Duration.ofMinutes(6), Duration.ofHours(1),
			StaleReason.SPOTIFY_UNAVAILABLE, Duration.ofSeconds(30));

	/** Backing off, with no reason recorded. */
	private static final Head BACKING_OFF_UNEXPLAINED = head(Duration.ofMinutes(6), Duration.ofHours(1), null,
			Duration.ofSeconds(30));

	/** Backing off, and confirmed three seconds ago. */
	private static final Head BACKING_OFF_JUST_CHECKED = head(Duration.ofSeconds(3), Duration.ofHours(1),
			StaleReason.SPOTIFY_UNAVAILABLE, Duration.ofSeconds(30));

	/** Spotify refused the person's refresh token. */
	private static final Head SIGN_IN_NEEDED = head(Duration.ofMinutes(1), Duration.ofHours(1),
			StaleReason.REAUTHORIZATION_REQUIRED, null);

	private static final SyncOutcome.Unsynced SPOTIFY_DOWN = new SyncOutcome.SpotifyFailed(
			new SpotifyUnavailable("502", null));

	@ParameterizedTest
	@MethodSource("reads")
	void decidesWhetherToServeOrSync(@Nullable Head head, Refresh refresh, boolean acceptsStale,
			SyncOutcome.@Nullable Unsynced coldFailure, Decision expected) {
		assertThat(ServeOrSync.decide(head, refresh, acceptsStale, coldFailure, NOW, RULES)).isEqualTo(expected);
	}

	static Stream<Arguments> reads() {
		return Stream.of(
				argumentSet("nothing cached: synced first", null, Refresh.NONE, false, null,
						new Sync(false, null, CacheResult.MISS)),
				argumentSet("nothing cached, refresh=full: the first sync reads it all anyway", null, Refresh.FULL,
						false, null, new Sync(false, null, CacheResult.MISS)),
				argumentSet("nothing cached and the last attempt failed: refused while it backs off", null,
						Refresh.NONE, false, SPOTIFY_DOWN, new Refuse(SPOTIFY_DOWN)),
				argumentSet("fresh: served, no Spotify request", FRESH, Refresh.NONE, false, null,
						new Serve(FRESH, null, null, CacheResult.HIT)),
				argumentSet("fresh but possibly inconsistent: served, marked", FRESH_CHANGING, Refresh.NONE, false,
						null, new Serve(FRESH_CHANGING, StaleReason.LIBRARY_CHANGING, null, CacheResult.HIT)),
				argumentSet("freshness ran out: revalidated", EXPIRED, Refresh.NONE, false, null,
						new Sync(false, null, CacheResult.REVALIDATION)),
				argumentSet("refresh=true: revalidated although fresh", FRESH, Refresh.CHECK, false, null,
						new Sync(false, null, CacheResult.REVALIDATION)),
				argumentSet("refresh=true within the recheck throttle: served, throttled", JUST_CHECKED, Refresh.CHECK,
						false, null,
						new Serve(JUST_CHECKED, null, new Throttle(Throttle.RECHECK, Duration.ofSeconds(7)),
								CacheResult.HIT)),
				argumentSet("refresh=full: read in full", FRESH, Refresh.FULL, false, null,
						new Sync(true, null, CacheResult.REVALIDATION)),
				argumentSet("refresh=full too soon: revalidated instead, throttled", JUST_FULLY_READ, Refresh.FULL,
						false, null,
						new Sync(false, new Throttle(Throttle.FULL_SYNC, Duration.ofMinutes(10)),
								CacheResult.REVALIDATION)),
				argumentSet("refresh=full too soon and within the recheck throttle: served", justFullyReadAndChecked(),
						Refresh.FULL, false, null,
						new Serve(justFullyReadAndChecked(), null,
								new Throttle(Throttle.RECHECK, Duration.ofSeconds(7)), CacheResult.HIT)),
				argumentSet("backing off: served with the failure's reason, no Spotify request", BACKING_OFF,
						Refresh.NONE, false, null,
						new Serve(BACKING_OFF, StaleReason.SPOTIFY_UNAVAILABLE, null, CacheResult.REVALIDATION)),
				argumentSet("backing off without a reason: served as sync-failed", BACKING_OFF_UNEXPLAINED,
						Refresh.NONE, false, null,
						new Serve(BACKING_OFF_UNEXPLAINED, StaleReason.SYNC_FAILED, null, CacheResult.REVALIDATION)),
				argumentSet("refresh=true while backing off: served, not asked", BACKING_OFF, Refresh.CHECK, false,
						null, new Serve(BACKING_OFF, StaleReason.SPOTIFY_UNAVAILABLE, null, CacheResult.REVALIDATION)),
				argumentSet("backing off wins over the recheck throttle", BACKING_OFF_JUST_CHECKED, Refresh.CHECK,
						false, null,
						new Serve(BACKING_OFF_JUST_CHECKED, StaleReason.SPOTIFY_UNAVAILABLE, null,
								CacheResult.REVALIDATION)),
				argumentSet("sign-in needed: refused", SIGN_IN_NEEDED, Refresh.NONE, false, null,
						new Refuse(new SyncOutcome.SignInRequired())),
				argumentSet("sign-in needed, stale accepted: served, marked, not counted", SIGN_IN_NEEDED,
						Refresh.CHECK, true, null,
						new Serve(SIGN_IN_NEEDED, StaleReason.REAUTHORIZATION_REQUIRED, null, null)));
	}

	@ParameterizedTest
	@MethodSource("rechecksWithoutAThrottle")
	void withoutARecheckThrottleEveryRefreshRevalidates(Head head, Decision expected) {
		ServeOrSync.Rules noThrottle = new ServeOrSync.Rules(RULES.freshness(), Duration.ZERO,
				RULES.fullRefreshInterval());

		assertThat(ServeOrSync.decide(head, Refresh.CHECK, false, null, NOW, noThrottle)).isEqualTo(expected);
	}

	static Stream<Arguments> rechecksWithoutAThrottle() {
		return Stream.of(argumentSet("just checked", JUST_CHECKED, new Sync(false, null, CacheResult.REVALIDATION)),
				argumentSet("checked in the future (another replica's clock)",
						head(Duration.ofSeconds(-3), Duration.ofHours(1), null, null),
						new Sync(false, null, CacheResult.REVALIDATION)));
	}

	@ParameterizedTest
	@MethodSource("outcomes")
	void aSyncsOutcomeDecidesWhatIsServed(@Nullable Head head, SyncOutcome outcome, boolean acceptsStale,
			Decision expected) {
		Throttle asked = new Throttle(Throttle.FULL_SYNC, Duration.ofMinutes(10));

		assertThat(ServeOrSync.afterSync(head, outcome, acceptsStale, asked, NOW)).isEqualTo(expected);
	}

	static Stream<Arguments> outcomes() {
		Throttle asked = new Throttle(Throttle.FULL_SYNC, Duration.ofMinutes(10));
		SyncOutcome.SpotifyFailed rateLimited = new SyncOutcome.SpotifyFailed(
				new SpotifyRateLimited(Duration.ofMinutes(1)));
		SyncOutcome.Failed bug = new SyncOutcome.Failed(new IllegalStateException("a bug"));
		Instant renewed = NOW.plus(Duration.ofHours(2));
		return Stream.of(
				argumentSet("synced: the new copy, as it is marked", EXPIRED,
						new SyncOutcome.Synced(FRESH_CHANGING, SyncOutcome.Change.FULL), false,
						new Serve(FRESH_CHANGING, StaleReason.LIBRARY_CHANGING, asked, null)),
				argumentSet("a first copy synced", null, new SyncOutcome.Synced(FRESH, SyncOutcome.Change.FULL), false,
						new Serve(FRESH, null, asked, null)),
				argumentSet("failed with nothing cached: refused", null, SPOTIFY_DOWN, false, new Refuse(SPOTIFY_DOWN)),
				argumentSet("Spotify failed: the copy, marked", EXPIRED, rateLimited, false,
						new Serve(EXPIRED, StaleReason.SPOTIFY_RATE_LIMITED, asked, null)),
				argumentSet("still running: the copy, marked", EXPIRED, new SyncOutcome.InProgress(), false,
						new Serve(EXPIRED, StaleReason.SYNC_IN_PROGRESS, asked, null)),
				argumentSet("library changing: the copy, marked", EXPIRED, new SyncOutcome.LibraryChanging(3), false,
						new Serve(EXPIRED, StaleReason.LIBRARY_CHANGING, asked, null)),
				argumentSet("a failure of the service's own: the copy, marked", EXPIRED, bug, false,
						new Serve(EXPIRED, StaleReason.SYNC_FAILED, asked, null)),
				argumentSet("sign-in needed: refused", EXPIRED, new SyncOutcome.SignInRequired(), false,
						new Refuse(new SyncOutcome.SignInRequired())),
				argumentSet("sign-in needed, stale accepted: the copy, marked", EXPIRED,
						new SyncOutcome.SignInRequired(), true,
						new Serve(EXPIRED, StaleReason.REAUTHORIZATION_REQUIRED, asked, null)),
				argumentSet("full syncs of the day used up: the copy, throttled until they are renewed", EXPIRED,
						new SyncOutcome.FullSyncBudgetUsed(renewed), false,
						new Serve(EXPIRED, StaleReason.FULL_SYNC_BUDGET_USED,
								new Throttle(Throttle.FULL_SYNC_BUDGET, Duration.ofHours(2)), null)),
				argumentSet("full syncs used up with nothing cached: refused", null,
						new SyncOutcome.FullSyncBudgetUsed(renewed), false,
						new Refuse(new SyncOutcome.FullSyncBudgetUsed(renewed))));
	}

	private static Head justFullyReadAndChecked() {
		return head(Duration.ofSeconds(3), Duration.ofMinutes(5), null, null);
	}

	private static Head head(Duration checkedAgo, Duration fullyReadAgo, @Nullable StaleReason stale,
			@Nullable Duration retryIn) {
		Instant synced = NOW.minus(Duration.ofHours(2));
		return new Head(100, 100, 0, 0, 7, 42, 0, 100, synced, NOW.minus(checkedAgo), NOW.minus(fullyReadAgo), stale,
				(retryIn != null) ? 1 : 0, (retryIn != null) ? NOW.plus(retryIn) : null, null);
	}

}
