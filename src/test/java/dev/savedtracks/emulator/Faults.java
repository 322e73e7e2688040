package dev.savedtracks.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The faults waiting for upcoming {@code GET /v1/me/tracks} requests, and a one-shot hook
 * run after the next one.
 */
public final class Faults {

	private final Object lock = new Object();

	private final Deque<Fault> queue = new ArrayDeque<>();

	private final List<OffsetFault> byOffset = new ArrayList<>();

	private @Nullable Consumer<Integer> afterRequest;

	/** The offset whose request runs {@link #afterRequest}; -1 for any. */
	private int afterOffset = -1;

	/** Hooks run after a given number of answers from when they were scheduled. */
	private final List<CountedHook> counted = new ArrayList<>();

	/** Tracks requests answered so far (errors included). */
	private long answered;

	/** Until when tracks requests get 429 with Retry-After: 0, whatever is queued. */
	private Instant closedUntil = Instant.EPOCH;

	/** A burst of server errors to come: after how many more requests, how long, what. */
	private @Nullable Burst burst;

	private Instant burstUntil = Instant.EPOCH;

	private @Nullable Fault burstFault;

	Faults() {
	}

	/** The next tracks request gets {@code fault}; calls queue up, first in first out. */
	public Faults next(Fault fault) {
		Objects.requireNonNull(fault, "fault");
		synchronized (this.lock) {
			this.queue.addLast(fault);
		}
		return this;
	}

	/** The next {@code times} tracks requests get {@code fault}. */
	public Faults nextTimes(int times, Fault fault) {
		for (int i = 0; i < times; i++) {
			next(fault);
		}
		return this;
	}

	/**
	 * The next {@code times} tracks requests for {@code offset} get {@code fault}, before
	 * anything queued.
	 */
	public Faults atOffset(int offset, Fault fault, int times) {
		Objects.requireNonNull(fault, "fault");
		if (times > 0) {
			synchronized (this.lock) {
				this.byOffset.add(new OffsetFault(offset, fault, times));
			}
		}
		return this;
	}

	/**
	 * Runs {@code hook} once, with the offset of the next tracks request (-1 if
	 * unparsable), after that request's answer is computed and before its bytes are sent:
	 * the answered page predates the hook, and anything the client requests after
	 * receiving it sees the hook's changes. Replaces a hook not yet run.
	 */
	public Faults afterRequest(Consumer<Integer> hook) {
		return afterRequestAt(-1, hook);
	}

	/**
	 * A burst of server errors, as Spotify gives long libraries: after
	 * {@code afterRequests} more tracks requests, every one answers {@code status} for
	 * {@code length} ({@code Retry-After: retryAfterSeconds} when positive), whatever is
	 * queued.
	 */
	public Faults burst(int afterRequests, Duration length, int status, int retryAfterSeconds) {
		synchronized (this.lock) {
			this.burst = new Burst(afterRequests, length,
					(retryAfterSeconds > 0) ? Fault.serverError(status, retryAfterSeconds) : Fault.status(status));
		}
		return this;
	}

	/**
	 * As {@link #afterRequest}, after the next tracks request for {@code offset} (-1: any
	 * offset): to change the library between two pages a client asks for concurrently.
	 */
	public Faults afterRequestAt(int offset, Consumer<Integer> hook) {
		Objects.requireNonNull(hook, "hook");
		synchronized (this.lock) {
			this.afterRequest = hook;
			this.afterOffset = offset;
		}
		return this;
	}

	/**
	 * Runs {@code hook} after the {@code n}-th tracks request from now has its answer
	 * computed, before its bytes are sent (as {@link #afterRequest}); several such hooks
	 * may wait, and they do not replace the one of {@link #afterRequest}. With pages
	 * requested side by side, the pages answered before the {@code n}-th predate the
	 * hook's change, and the ones still in flight (delayed with {@link Fault#delay}, for
	 * example) see it: to save tracks at a chosen moment of a sync.
	 */
	public Faults afterAnswers(int n, Consumer<Integer> hook) {
		Objects.requireNonNull(hook, "hook");
		if (n < 1) {
			throw new IllegalArgumentException("n must be at least 1");
		}
		synchronized (this.lock) {
			this.counted.add(new CountedHook(this.answered + n, hook));
		}
		return this;
	}

	/** Forgets every queued fault, offset fault and pending hook. */
	public void clear() {
		synchronized (this.lock) {
			this.queue.clear();
			this.byOffset.clear();
			this.afterRequest = null;
			this.counted.clear();
			this.closedUntil = Instant.EPOCH;
			this.burst = null;
			this.burstUntil = Instant.EPOCH;
		}
	}

	/**
	 * The fault for a tracks request at {@code offset} (-1 when unparsable), consuming
	 * it, or null for none.
	 */
	@Nullable Fault take(int offset) {
		synchronized (this.lock) {
			Instant now = Instant.now();
			Burst pending = this.burst;
			if (pending != null && pending.afterRequests-- <= 0) {
				this.burst = null;
				this.burstUntil = now.plus(pending.length);
				this.burstFault = pending.fault;
			}
			if (now.isBefore(this.burstUntil) && this.burstFault != null) {
				return this.burstFault;
			}
			if (now.isBefore(this.closedUntil)) {
				return Fault.rateLimitedRetryAfterZero(Duration.ZERO);
			}
			Fault fault = takeQueued(offset);
			if (fault instanceof Fault.RateLimitedRetryAfterZero zero) {
				this.closedUntil = now.plus(zero.closedFor());
			}
			return fault;
		}
	}

	private @Nullable Fault takeQueued(int offset) {
		synchronized (this.lock) {
			for (Iterator<OffsetFault> it = this.byOffset.iterator(); it.hasNext();) {
				OffsetFault candidate = it.next();
				if (candidate.offset == offset) {
					if (--candidate.remaining == 0) {
						it.remove();
					}
					return candidate.fault;
				}
			}
			return this.queue.pollFirst();
		}
	}

	/**
	 * The hooks to run after the answer to a request at {@code offset}, consuming them
	 * (the pending {@link #afterRequest} one, if it is for this offset, then those of
	 * {@link #afterAnswers} whose turn it is), or null for none. Called once per answered
	 * tracks request.
	 */
	@Nullable Consumer<Integer> takeAfterRequest(int offset) {
		synchronized (this.lock) {
			long number = ++this.answered;
			List<Consumer<Integer>> due = new ArrayList<>();
			if (this.afterRequest != null && (this.afterOffset == -1 || this.afterOffset == offset)) {
				due.add(this.afterRequest);
				this.afterRequest = null;
			}
			for (Iterator<CountedHook> it = this.counted.iterator(); it.hasNext();) {
				CountedHook hook = it.next();
				if (hook.at <= number) {
					due.add(hook.hook);
					it.remove();
				}
			}
			return due.isEmpty() ? null : (requested -> due.forEach(hook -> hook.accept(requested)));
		}
	}

	/** A hook waiting for the {@code at}-th answer. */
	private record CountedHook(long at, Consumer<Integer> hook) {
	}

	/** A burst to come; mutated only under the lock. */
	private static final class Burst {

		private int afterRequests;

		private final Duration length;

		private final Fault fault;

		Burst(int afterRequests, Duration length, Fault fault) {
			this.afterRequests = afterRequests;
			this.length = length;
			this.fault = fault;
		}

	}

	/** A fault for a number of requests at one offset; mutated only under the lock. */
	private static final class OffsetFault {

		private final int offset;

		private final Fault fault;

		private int remaining;

		OffsetFault(int offset, Fault fault, int remaining) {
			this.offset = offset;
			this.fault = fault;
			this.remaining = remaining;
		}

	}

}
