package dev.savedtracks.spotify.webapi;

import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyProtocolViolation;

/**
 * What a page must be to be trusted, as a pure function. A page shorter than
 * {@code total} implies is normal (Spotify leaves out tracks unavailable in the person's
 * market, and its count may drift between pages), so only what cannot be Spotify's answer
 * is refused: no count or items, a count beyond any real library, more items than asked
 * for, or another offset than asked for. {@code next} says only whether there is more:
 * pages are asked for by offset, so it is never followed, and where it points does not
 * matter (an egress proxy in {@code SPOTIFY_API_URL} gets links to Spotify's own host).
 * An empty page that claims more is either a glitch (seen on about 1 % of requests by
 * some clients) or 50 unavailable tracks in a row: it is asked for once more, and taken
 * as it is the second time, so that such a library is not refused forever.
 */
final class PageValidation {

	/** What to do with a page that is not refused. */
	enum Verdict {

		/** Take it. */
		TRUSTED,

		/** Ask for it once more: it is empty but claims more. */
		ASK_AGAIN

	}

	private PageValidation() {
	}

	/**
	 * Judges {@code page}, asked for at {@code offset}.
	 * @param askedAgain whether this page was asked for once more already
	 * @throws SpotifyProtocolViolation when it cannot be Spotify's answer
	 */
	static Verdict check(SavedTracksPage page, int offset, boolean askedAgain) {
		if (page.total() == null || page.total() < 0 || page.items() == null) {
			throw new SpotifyProtocolViolation("saved-tracks page without total or items");
		}
		if (page.total() > SpotifyClient.MAX_TOTAL) {
			throw new SpotifyProtocolViolation("saved-tracks page claims " + page.total() + " tracks");
		}
		if (page.items().size() > SpotifyClient.PAGE_SIZE) {
			throw new SpotifyProtocolViolation("saved-tracks page with " + page.items().size() + " items");
		}
		if (page.offset() != null && page.offset() != offset) {
			throw new SpotifyProtocolViolation("saved-tracks page for offset " + page.offset() + ", asked " + offset);
		}
		boolean more = page.next() != null;
		return (page.items().isEmpty() && more && !askedAgain) ? Verdict.ASK_AGAIN : Verdict.TRUSTED;
	}

}
