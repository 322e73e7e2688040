package dev.savedtracks.spotify.budget;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fair scheduler reports about the permits it grants. */
class PermitMetricsTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final PermitMetrics metrics = new PermitMetrics(this.meters, new Unlimited(), priority -> 0);

	@Test
	void grantsAreCountedPerAccountUnderADigestAndIdleAccountsStopBeingExported() {
		this.metrics.granted(Requester.of("alice", Priority.INTERACTIVE), 0);
		this.metrics.granted(Requester.of("bob", Priority.INTERACTIVE), 0);
		String alice = PermitMetrics.digest("alice");

		assertThat(this.meters.get("spotify.budget.grants").tag("account", alice).counter().count()).isEqualTo(1);
		assertThat(this.meters.find("spotify.budget.grants").tag("account", "alice").counter()).isNull();

		this.metrics.forgetIdleAccounts(Duration.ofHours(1), System.nanoTime());
		assertThat(this.meters.find("spotify.budget.grants").counters()).hasSize(2);
		this.metrics.forgetIdleAccounts(Duration.ZERO, System.nanoTime());
		assertThat(this.meters.find("spotify.budget.grants").counters()).isEmpty();
	}

	/** No limit: every permit at once. */
	private static final class Unlimited implements Limiter {

		@Override
		public boolean unlimited() {
			return true;
		}

		@Override
		public long tryTake(Priority priority) {
			return 0;
		}

		@Override
		public Duration window() {
			return Duration.ZERO;
		}

	}

}
