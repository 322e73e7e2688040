package dev.savedtracks.library.answer;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.system.Sha256;

/**
 * A library opened for one answer: the copy to serve (its head), whether it is fresh or
 * why not, and the window asked for. Everything an answer's headers say comes from here,
 * and its rows are read from exactly this copy.
 *
 * @param stale why the copy could not be confirmed with Spotify just now; {@code null}
 * when it is fresh
 * @param throttled what the caller asked of Spotify that was not done (or done in a
 * lesser way), and when it may be asked again: told in {@code X-Library-Throttled}
 */
public record OpenLibrary(String accountId, Head head, @Nullable StaleReason stale, Window window,
		@Nullable Throttle throttled) {

	/**
	 * A per-account throttle that applied to this answer.
	 *
	 * @param what {@code full-sync} ({@code refresh=full} within
	 * {@code LIBRARY_FULL_REFRESH_INTERVAL}: revalidated instead), {@code recheck}
	 * ({@code refresh=true} within {@code LIBRARY_MIN_RECHECK} of the last check:
	 * answered from the copy) or {@code full-sync-budget} (the day's full syncs are used
	 * up: the copy is served)
	 */
	public record Throttle(String what, Duration retryAfter) {

		public static final String FULL_SYNC = "full-sync";

		public static final String RECHECK = "recheck";

		public static final String FULL_SYNC_BUDGET = "full-sync-budget";

	}

	/** How many tracks the answer holds. */
	public int items() {
		return this.window.sizeIn(this.head.total());
	}

	/**
	 * Weak, because the same content may be sent gzip-compressed or not. Derived from the
	 * account, the copy (its epoch and version: versions restart after a person deletes
	 * their data and signs in again, epochs do not), the window and the format: it
	 * changes exactly when the answer's content does, and two people's answers never
	 * share one.
	 */
	public String etag(String format) {
		String basis = this.accountId + "|" + this.head.epoch() + "|" + this.head.version() + "|" + this.window.offset()
				+ "|" + this.window.limit() + "|" + format;
		return "W/\"" + Sha256.base64Url(basis).substring(0, 22) + "\"";
	}

	/** When Spotify last confirmed the copy; {@code null} when it never did. */
	public @Nullable Instant checkedAt() {
		return this.head.checkedAt();
	}

	/** When the copy was last synced, for Last-Modified; -1 when unknown. */
	public long lastModified() {
		return (this.head.syncedAt() != null) ? this.head.syncedAt().toEpochMilli() : -1;
	}

}
