package dev.savedtracks.spotify.webapi;

import java.net.URI;

import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyProtocolViolation;

/**
 * What a page must be to be trusted, as a pure function. A page shorter than
 * {@code total} implies is normal (Spotify leaves out tracks unavailable in the person's
 * market, and its count may drift between pages), so only what cannot be Spotify's answer
 * is refused: no count or items, a count beyond any real library, more items than asked
 * for, another offset than asked for, or a {@code next} link outside the API. An empty
 * page that claims more is either a glitch (seen on about 1 % of requests by some
 * clients) or 50 unavailable tracks in a row: it is asked for once more, and taken as it
 * is the second time, so that such a library is not refused forever.
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
	 * Judges {@code page}, asked for at {@code offset} from the API at {@code api}.
	 * @param askedAgain whether this page was asked for once more already
	 * @throws SpotifyProtocolViolation when it cannot be Spotify's answer
	 */
	static Verdict check(SavedTracksPage page, int offset, boolean askedAgain, URI api) {
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
		String next = page.next();
		if (next != null && !isInsideApi(next, api)) {
			// Never followed (pages are asked for by offset), and a page pointing
			// elsewhere is not Spotify's answer.
			throw new SpotifyProtocolViolation("saved-tracks page links outside the Spotify API base");
		}
		return (page.items().isEmpty() && next != null && !askedAgain) ? Verdict.ASK_AGAIN : Verdict.TRUSTED;
	}

	/**
	 * Whether a link points into the API at {@code api}, whatever the case of its host or
	 * an explicit default port.
	 */
	static boolean isInsideApi(String link, URI api) {
		try {
			URI uri = URI.create(link);
			return uri.getScheme() != null && api.getScheme().equalsIgnoreCase(uri.getScheme())
					&& api.getHost().equalsIgnoreCase(uri.getHost()) && port(api) == port(uri) && uri.getPath() != null
					&& uri.getPath().startsWith(api.getPath() + "/");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
