package dev.savedtracks.spotify;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.savedtracks.spotify.BudgetControl.State;
import dev.savedtracks.system.InvalidConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adaptive budget's decisions (AIMD) and the bucket that keeps a budget within a
 * rolling window.
 */
class BudgetControlTest {

	private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

	private final BudgetControl control = new BudgetControl(RequestBudget.parse("150/30s"));

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

	@Test
	void theBucketNeverAllowsMoreThanTheBudgetWithinOneWindow() {
		for (int allowed : new int[] { 2, 3, 5, 10, 37, 150, 1500, 100_000 }) {
			BudgetControl.Shape shape = BudgetControl.shape(allowed, Duration.ofSeconds(30));

			assertThat(shape.capacity() + shape.refill()).as("burst + refill within one window of " + allowed)
				.isLessThanOrEqualTo(Math.max(2, allowed));
			assertThat(shape.capacity()).isPositive();
		}
		BudgetControl.Shape usual = BudgetControl.shape(150, Duration.ofSeconds(30));
		assertThat(usual.capacity() + usual.refill()).isEqualTo(147);
		BudgetControl.Shape fast = BudgetControl.shape(30, Duration.ofSeconds(2));
		assertThat(fast.capacity() + fast.refill()).as("a quarter second of 15 requests/s kept in reserve")
			.isEqualTo(26);
	}

	@Test
	void budgetsAreWrittenAsRequestsPerWindow() {
		assertThat(RequestBudget.parse("150/30s")).isEqualTo(new RequestBudget(150, Duration.ofSeconds(30)));
		assertThat(RequestBudget.parse(" 6000 / 1m ")).isEqualTo(new RequestBudget(6000, Duration.ofMinutes(1)));
		assertThat(RequestBudget.parse("unlimited").unlimited()).isTrue();
		assertThatThrownBy(() -> RequestBudget.parse("150")).isInstanceOf(InvalidConfiguration.class)
			.hasMessageContaining("SPOTIFY_REQUEST_BUDGET");
		assertThatThrownBy(() -> RequestBudget.parse("1/30s")).isInstanceOf(InvalidConfiguration.class);
		assertThatThrownBy(() -> RequestBudget.parse("100/2h")).isInstanceOf(InvalidConfiguration.class);
	}

}
