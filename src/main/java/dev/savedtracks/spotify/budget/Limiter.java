package dev.savedtracks.spotify.budget;

import java.time.Duration;

import dev.savedtracks.spotify.Priority;

/**
 * Where {@link FairRequestScheduler} takes the permits it grants: the limiter that keeps
 * the whole fleet within the {@link SharedAllowance allowance} per window. Today a token
 * bucket ({@link TokenBucketLimiter}); another algorithm replaces it behind this
 * interface.
 */
interface Limiter {

	/** Whether every request may go out at once. */
	boolean unlimited();

	/**
	 * Takes a permit for one request of the given priority if there is one now.
	 * @return 0 when a permit was taken, else how many nanoseconds until one may be
	 */
	long tryTake(Priority priority);

	/** The request budget's window, for the gauge of permits used within it. */
	Duration window();

}
