package dev.savedtracks.spotify.budget;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.savedtracks.spotify.RequestBudget;
import dev.savedtracks.spotify.budget.Allowance.State;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allowance's decisions (AIMD): down after a 429, back up after quiet windows.
 */
class AllowanceTest {

	private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

	private final Allowance control = new Allowance(RequestBudget.parse("150/30s"));

	@Test
	void aRateLimitShrinksTheBudgetOncePerBurstOf429s() {
		State start = this.control.initial(T0);

		State decreased = this.control.afterRateLimit(start, T0.plusSeconds(1)).orElseThrow();

		assertThat(decreased.allowed()).isEqualTo(105);
		assertThat(decreased.version()).isGreaterThan(start.version());
		assertThat(this.control.afterRateLimit(decreased, T0.plusSeconds(3))).as("429s of requests already in flight")
			.isEmpty();
		assertThat(this.control.afterRateLimit(decreased, T0.plusSeconds(9)).orElseThrow().allowed()).isEqualTo(73);
	}

	@Test
	void aBudgetFarTooHighConvergesToTheMinimumAtWorstAndNeverToZero() {
		State state = this.control.initial(T0);
		Instant now = T0;

		for (int i = 0; i < 40; i++) {
			now = now.plusSeconds(10);
			state = this.control.afterRateLimit(state, now).orElse(state);
		}

		assertThat(state.allowed()).isEqualTo(this.control.minimum()).isPositive();
	}

	@Test
	void theBudgetGrowsBackByATenthPerQuietWindowUpToWhatIsConfigured() {
		State decreased = this.control.afterRateLimit(this.control.initial(T0), T0).orElseThrow();

		assertThat(this.control.afterQuiet(decreased, T0.plusSeconds(29))).as("within the window of the 429").isEmpty();
		State grown = this.control.afterQuiet(decreased, T0.plusSeconds(30)).orElseThrow();
		assertThat(grown.allowed()).isEqualTo(120);
		assertThat(this.control.afterQuiet(grown, T0.plusSeconds(45))).isEmpty();

		State state = grown;
		Instant now = T0.plusSeconds(30);
		for (int i = 0; i < 10; i++) {
			now = now.plusSeconds(30);
			state = this.control.afterQuiet(state, now).orElse(state);
		}
		assertThat(state.allowed()).isEqualTo(150);
		assertThat(this.control.afterQuiet(state, now.plusSeconds(300))).isEmpty();
	}

	@Test
	void aChangedSettingStartsFromTheNewBudget() {
		State stored = new State(300, 40, 7, T0, T0);

		State reconciled = this.control.reconciled(stored, T0.plusSeconds(5));

		assertThat(reconciled.allowed()).isEqualTo(150);
		assertThat(reconciled.version()).isEqualTo(8);
		assertThat(this.control.reconciled(new State(150, 40, 7, T0, T0), T0)).extracting(State::allowed).isEqualTo(40);
	}

}
