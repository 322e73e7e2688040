package dev.savedtracks.spotify;

/**
 * How urgently a Spotify request is wanted: the request budget serves interactive work
 * first.
 */
public enum Priority {

	/** A person or a calling service is waiting for the answer. */
	INTERACTIVE,

	/** Nobody waits (warm-up): only budget that interactive work leaves idle. */
	BACKGROUND

}
