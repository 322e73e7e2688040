package dev.savedtracks.library.read;

import dev.savedtracks.library.answer.Window;

/**
 * What a caller asks of a read, as plain values (HTTP parsing is the web layer's).
 *
 * @param window which tracks the answer holds
 * @param refresh what to ask of Spotify before answering
 * @param acceptsStale the caller prefers the cached copy to an error when the person must
 * sign in again ({@code Cache-Control: max-stale})
 */
public record ReadRequest(Window window, Refresh refresh, boolean acceptsStale) {

	/**
	 * What other modules read: a window, under the freshness rules, never stale on
	 * sign-in.
	 */
	public static ReadRequest of(Window window) {
		return new ReadRequest(window, Refresh.NONE, false);
	}

	/** What the caller asks of Spotify before the answer. */
	public enum Refresh {

		/** Nothing within the freshness period. */
		NONE,

		/** Revalidate now ({@code refresh=true}). */
		CHECK,

		/**
		 * Reconcile the whole library now ({@code refresh=full}), at most every
		 * {@code LIBRARY_FULL_REFRESH_INTERVAL}.
		 */
		FULL

	}

}
