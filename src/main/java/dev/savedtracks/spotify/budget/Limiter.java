package dev.savedtracks.spotify.budget;

import java.time.Duration;

/**
 * Where {@link FairRequestScheduler} takes the permits it grants: the limiter that keeps
 * the whole fleet within the {@link SharedAllowance allowance} per window. Today a
 * sliding window ({@link SlidingWindowLimiter}); another algorithm replaces it behind
 * this interface.
 */
interface Limiter {

	/** Whether every request may go out at once. */
	boolean unlimited();

	/**
	 * Takes a permit for one request if there is one now, leaving {@code headroom}
	 * permits of the window untaken.
	 * @return 0 when a permit was taken, else how many nanoseconds until one may be
	 */
	long tryTake(int headroom);

	/**
	 * The permits of a window that background work and accounts that already had as many
	 * leave to newcomers; 0 for none.
	 */
	default int reserve() {
		return 0;
	}

	/**
	 * Whether {@link #tryTake} may block (a database round trip): then it runs only on
	 * the scheduler's dispatcher thread, never on the thread that asks for a permit,
	 * which may be an event loop.
	 */
	default boolean blocks() {
		return true;
	}

	/** The request budget's window, for the gauge of permits used within it. */
	Duration window();

}
