package dev.savedtracks.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * Spotify's app-wide rate limit over a rolling window: at most {@code requests} admitted
 * within any {@code window}.
 */
final class RateLimiter {

	private final Object lock = new Object();

	/**
	 * When each admitted request in the current window arrived, in System.nanoTime(),
	 * oldest first.
	 */
	private final Deque<Long> admitted = new ArrayDeque<>();

	private int requests;

	private long windowNanos;

	/** Sets the limit and forgets earlier requests; 0 requests turns the limit off. */
	void configure(int requests, Duration window) {
		if (requests < 0) {
			throw new IllegalArgumentException("requests must not be negative");
		}
		if (requests > 0 && (window.isNegative() || window.isZero())) {
			throw new IllegalArgumentException("window must be positive");
		}
		synchronized (this.lock) {
			this.requests = requests;
			this.windowNanos = window.toNanos();
			this.admitted.clear();
		}
	}

	/**
	 * Admits and counts the request, answering null, or refuses it, answering how long
	 * until the oldest request in the window leaves it. Refused requests are not counted:
	 * otherwise a client retrying at Retry-After could be refused again by its own
	 * refused retries.
	 */
	@Nullable Duration acquire() {
		synchronized (this.lock) {
			if (this.requests == 0) {
				return null;
			}
			long now = System.nanoTime();
			while (!this.admitted.isEmpty() && now - this.admitted.peekFirst() >= this.windowNanos) {
				this.admitted.pollFirst();
			}
			if (this.admitted.size() < this.requests) {
				this.admitted.addLast(now);
				return null;
			}
			return Duration.ofNanos(this.admitted.peekFirst() + this.windowNanos - now);
		}
	}

}
