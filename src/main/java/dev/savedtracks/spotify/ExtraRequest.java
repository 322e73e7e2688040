package dev.savedtracks.spotify;

import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Why a Spotify Web API request was made beyond the one each page of a library needs,
 * counted as {@code spotify_requests_extra_total{reason}} so that an operator sees what
 * the request budget is spent on.
 */
public enum ExtraRequest {

	/** A page asked again after a transient fault (5xx, no answer, a broken body). */
	RETRY,

	/** A page asked again with a new access token after a 401. */
	TOKEN_REFRESH,

	/** A page asked again after a 429's pause. */
	RATE_LIMITED,

	/** An empty page that claimed more, asked once more. */
	EMPTY_PAGE,

	/**
	 * The first page asked again at the end of a full sync whose rows did not add up, to
	 * see whether the library changed meanwhile.
	 */
	DRIFT_RECHECK,

	/**
	 * A page read again within one sync: a new full sync attempt after the library
	 * changed, or a full sync after the top pages showed more than additions.
	 */
	REREAD,

	/** Sign-in's {@code GET /v1/me}, which verifies who signed in. */
	SIGN_IN;

	/** The {@code reason} tag: the name in lower case, with hyphens. */
	public String reason() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Counts one request made for this reason. */
	public void count(MeterRegistry meters) {
		Counter.builder("spotify.requests.extra")
			.description("Spotify requests beyond one per page of a library, by reason")
			.tag("reason", reason())
			.register(meters)
			.increment();
	}

}
