package dev.savedtracks.spotify;

/**
 * On whose behalf a Spotify request is made, and how urgently: the unit the request
 * budget is shared by. The priority is asked again whenever the scheduler chooses what to
 * grant next, so work that someone starts waiting for moves ahead of background work at
 * once.
 */
public interface Requester {

	String accountId();

	Priority priority();

	/** A requester with a fixed priority. */
	static Requester of(String accountId, Priority priority) {
		return new Fixed(accountId, priority);
	}

	/** A requester with a fixed priority. */
	record Fixed(String accountId, Priority priority) implements Requester {
	}

}
