package dev.savedtracks.spotify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The adaptive part of the request budget (AIMD, as TCP congestion control): the requests
 * allowed per window start at the configured budget, shrink to 70 % when Spotify answers
 * 429 (at most once per quarter window: the 429s of the requests already in flight are
 * one signal, not many), and grow back by a tenth of the configured budget for every
 * whole window without a 429. A budget set too high therefore converges below Spotify's
 * real limit instead of meeting it again and again (ten times too high: within seven
 * decreases), and one set right recovers within minutes of a 429 caused by something
 * else. 70 % (CUBIC's factor rather than classic TCP's half): the 429's
 * {@code Retry-After} pause has already emptied Spotify's window, so the decrease only
 * has to correct the pace.
 */
final class BudgetControl {

	/** What a 429 leaves of the budget. */
	static final double DECREASE = 0.7;

	private final RequestBudget configured;

	BudgetControl(RequestBudget configured) {
		this.configured = configured;
	}

	/** The lowest the budget is decreased to. */
	int minimum() {
		return Math.min(this.configured.requests(), Math.max(2, this.configured.requests() / 32));
	}

	/** What one quiet window adds back. */
	int step() {
		return Math.max(1, this.configured.requests() / 10);
	}

	/** The state of a budget that has not adapted yet. */
	State initial(Instant now) {
		return new State(this.configured.requests(), this.configured.requests(), 1, Instant.EPOCH, now);
	}

	/**
	 * A 429 came: the decreased state, or empty when this 429 belongs to a decrease
	 * already made.
	 */
	Optional<State> afterRateLimit(State state, Instant now) {
		if (now.isBefore(state.decreasedAt().plus(this.configured.window().dividedBy(4)))) {
			return Optional.empty();
		}
		int decreased = Math.max(minimum(), (int) (state.allowed() * DECREASE));
		return Optional.of(new State(this.configured.requests(), decreased, state.version() + 1, now, now));
	}

	/** No 429 lately: the increased state, or empty when nothing changes now. */
	Optional<State> afterQuiet(State state, Instant now) {
		if (state.allowed() >= this.configured.requests()
				|| now.isBefore(state.changedAt().plus(this.configured.window()))) {
			return Optional.empty();
		}
		int grown = Math.min(this.configured.requests(), state.allowed() + step());
		return Optional.of(new State(this.configured.requests(), grown, state.version() + 1, state.decreasedAt(), now));
	}

	/**
	 * The state the configured budget starts from, given the stored one (which another
	 * setting may have left).
	 */
	State reconciled(State stored, Instant now) {
		if (stored.configured() == this.configured.requests()) {
			return stored;
		}
		return new State(this.configured.requests(), this.configured.requests(), stored.version() + 1,
				stored.decreasedAt(), now);
	}

	/**
	 * The token bucket that keeps {@code allowed} requests per window:
	 * {@code capacity + refill <= allowed} bounds the requests granted in any window of
	 * that length. A margin absorbs the jitter between granting a request and its arrival
	 * at Spotify (a database round trip, a busy thread): what a quarter of a second of
	 * the budget's pace sends, and at least 2 % of the budget and one request. The
	 * capacity, a tenth, lets a person's first pages go out at once; the rest is spread
	 * evenly over the window.
	 */
	static Shape shape(int allowed, Duration window) {
		long jitter = (long) Math.ceil(allowed * 250.0 / Math.max(1, window.toMillis()));
		int margin = (int) Math.max(Math.max(1, (allowed + 49) / 50), jitter);
		int usable = Math.max(2, allowed - margin);
		int capacity = Math.max(1, usable / 10);
		return new Shape(capacity, Math.max(1, usable - capacity), window);
	}

	/**
	 * The shared state of the budget.
	 *
	 * @param configured the budget it was derived from
	 * @param allowed requests allowed per window now
	 * @param version moved by every change, so every replica reshapes its bucket
	 */
	record State(int configured, int allowed, long version, Instant decreasedAt, Instant changedAt) {
	}

	/**
	 * A token bucket: {@code capacity} tokens, refilled by {@code refill} per
	 * {@code period}, evenly.
	 */
	record Shape(int capacity, int refill, Duration period) {
	}

}
