package dev.savedtracks.spotify;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.savedtracks.system.InvalidConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code SPOTIFY_REQUEST_BUDGET}, as written and as refused. */
class RequestBudgetSettingTest {

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
