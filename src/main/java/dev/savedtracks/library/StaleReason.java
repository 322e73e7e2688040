package dev.savedtracks.library;

/**
 * Why a served copy of a library could not be confirmed with Spotify just now. Each
 * reason has a stable slug, the value of the {@code X-Library-Stale} header and of
 * {@code stale} in other answers, and is named as its slug (the name is what the
 * {@code library} row stores).
 */
public enum StaleReason {

	/** Spotify failed (5xx, timeouts, broken answers) after bounded retries. */
	SPOTIFY_UNAVAILABLE("spotify-unavailable"),

	/** Spotify asked the app to wait (429) longer than a request may. */
	SPOTIFY_RATE_LIMITED("spotify-rate-limited"),

	/** Spotify reported the app's quota as used up. */
	SPOTIFY_QUOTA_EXCEEDED("spotify-quota-exceeded"),

	/**
	 * Spotify refused this person (403): not on a development-mode app's user list, or a
	 * refusal unexplained.
	 */
	SPOTIFY_ACCESS_DENIED("spotify-access-denied"),

	/**
	 * Spotify refuses everyone (403): the development-mode app's owner no longer has
	 * Spotify Premium.
	 */
	SPOTIFY_OWNER_PREMIUM_REQUIRED("spotify-owner-premium-required"),

	/** Spotify refused the person's refresh token; they must sign in again. */
	REAUTHORIZATION_REQUIRED("reauthorization-required"),

	/**
	 * The library kept changing (or Spotify's answers kept disagreeing) during every sync
	 * attempt.
	 */
	LIBRARY_CHANGING("library-changing"),

	/**
	 * The copy needs a full sync, and the library's full syncs of the day
	 * ({@code LIBRARY_MAX_FULL_SYNCS_PER_DAY}) are used up.
	 */
	FULL_SYNC_BUDGET_USED("full-sync-budget-used"),

	/**
	 * A sync is running (here or on another replica) and took longer than a request may
	 * wait.
	 */
	SYNC_IN_PROGRESS("sync-in-progress"),

	/**
	 * The last sync failed for a reason of this service's own (such as a database error);
	 * it is retried later.
	 */
	SYNC_FAILED("sync-failed");

	private final String slug;

	StaleReason(String slug) {
		this.slug = slug;
	}

	/** The stable, lower-case name callers read. */
	public String slug() {
		return this.slug;
	}

}
