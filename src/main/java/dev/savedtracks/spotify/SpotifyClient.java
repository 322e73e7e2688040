package dev.savedtracks.spotify;

import reactor.core.publisher.Mono;

/**
 * The Spotify Web API as the library reads it: one page of a person's saved tracks at a
 * time, {@link #PAGE_SIZE} long. Every request takes a permit of the request budget
 * first; transient faults (5xx, timeouts, truncated or malformed bodies) are retried a
 * bounded number of times with backoff, a 429 pauses every request of the app, a 401
 * replaces the token once, and nothing else is retried.
 */
public interface SpotifyClient {

	/** Spotify's maximum page size. */
	int PAGE_SIZE = 50;

	/**
	 * No real library comes near this; a page claiming more is not Spotify's answer (and
	 * must not size memory).
	 */
	int MAX_TOTAL = 1_000_000;

	/**
	 * One page of saved tracks, {@link #PAGE_SIZE} long, starting at {@code offset},
	 * validated. Every attempt (retries included) first takes a permit of the app-wide
	 * request budget, granted fairly across {@code requester}s.
	 * @throws SpotifyFailure (as the Mono's error) when Spotify could not give the page
	 */
	Mono<SavedTracksPage> savedTracks(AccessTokenSource tokens, int offset, Requester requester);

}
