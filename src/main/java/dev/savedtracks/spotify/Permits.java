package dev.savedtracks.spotify;

/**
 * Where {@link FairRequestScheduler} takes the permits it grants: the app-wide request
 * budget.
 */
interface Permits {

	/** Whether every request may go out at once. */
	boolean unlimited();

	/**
	 * Takes a permit for one request of the given priority if there is one now.
	 * @return 0 when a permit was taken, else how many nanoseconds until one may be
	 */
	long tryTake(Priority priority);

	/** The budget's window, for the gauge of permits used within it. */
	java.time.Duration window();

}
