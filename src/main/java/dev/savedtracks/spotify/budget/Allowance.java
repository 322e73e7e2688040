package dev.savedtracks.spotify.budget;

import java.time.Instant;
import java.util.Optional;

import dev.savedtracks.spotify.RequestBudget;

/**
 * The allowance: the requests per window the app may make now, which adapts to Spotify
 * (AIMD, as TCP congestion control). It starts at the configured request budget, shrinks
 * to 70 % when Spotify answers 429 (at most once per quarter window: the 429s of the
 * requests already in flight are one signal, not many), and grows back by a tenth of the
 * request budget for every whole window without a 429. A request budget set too high
 * therefore converges below Spotify's real limit instead of meeting it again and again
 * (ten times too high: within seven decreases), and one set right recovers within minutes
 * of a 429 caused by something else. 70 % (CUBIC's factor rather than classic TCP's
 * half): the 429's {@code Retry-After} pause has already emptied Spotify's window, so the
 * decrease only has to correct the pace. Pure decisions; {@link SharedAllowance} keeps
 * the state every replica shares.
 */
final class Allowance {

	/** What a 429 leaves of the allowance. */
	static final double DECREASE = 0.7;

	private final RequestBudget configured;

	Allowance(RequestBudget configured) {
		this.configured = configured;
	}

	/** The lowest the allowance is decreased to. */
	int minimum() {
		return Math.min(this.configured.requests(), Math.max(2, this.configured.requests() / 32));
	}

	/** What one quiet window adds back. */
	int step() {
		return Math.max(1, this.configured.requests() / 10);
	}

	/** The state of an allowance that has not adapted yet. */
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
	 * The state the configured request budget starts from, given the stored one (which
	 * another setting may have left).
	 */
	State reconciled(State stored, Instant now) {
		if (stored.configured() == this.configured.requests()) {
			return stored;
		}
		return new State(this.configured.requests(), this.configured.requests(), stored.version() + 1,
				stored.decreasedAt(), now);
	}

	/**
	 * The allowance as every replica shares it.
	 *
	 * @param configured the request budget it was derived from
	 * @param allowed requests allowed per window now
	 * @param version moved by every change, so every replica reshapes its limiter
	 */
	record State(int configured, int allowed, long version, Instant decreasedAt, Instant changedAt) {
	}

}
