package dev.savedtracks.spotify.budget;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fair scheduler reports about the permits it grants. */
class PermitMetricsTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicLong nanos = new AtomicLong();

	private final PermitMetrics metrics = new PermitMetrics(this.meters, new Unlimited(), priority -> 0,
			this.nanos::get);

	@Test
	void grantsAreCountedPerAccountUnderADigestAndIdleAccountsStopBeingExported() {
		this.metrics.granted(Requester.of("alice", Priority.INTERACTIVE), 0);
		this.metrics.granted(Requester.of("bob", Priority.INTERACTIVE), 0);
		String alice = PermitMetrics.digest("alice");

		assertThat(this.meters.get("spotify.budget.grants").tag("account", alice).counter().count()).isEqualTo(1);
		assertThat(this.meters.find("spotify.budget.grants").tag("account", "alice").counter()).isNull();

		this.nanos.addAndGet(PermitMetrics.IDLE_ACCOUNT.minusSeconds(1).toNanos());
		this.metrics.granted(Requester.of("alice", Priority.BACKGROUND), 0);
		this.metrics.forgetIdleAccounts();
		assertThat(this.meters.find("spotify.budget.grants").counters()).hasSize(2);
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		this.metrics.forgetIdleAccounts();
		assertThat(this.meters.find("spotify.budget.grants").counters()).as("bob's counter idle for an hour")
			.hasSize(1);
		assertThat(this.meters.get("spotify.budget.grants").tag("account", alice).counter().count()).isEqualTo(2);
		this.nanos.addAndGet(PermitMetrics.IDLE_ACCOUNT.toNanos());
		this.metrics.forgetIdleAccounts();
		assertThat(this.meters.find("spotify.budget.grants").counters()).isEmpty();
	}

	/** No limit: every permit at once. */
	private static final class Unlimited implements Limiter {

		@Override
		public boolean unlimited() {
			return true;
		}

		@Override
		public long tryTake(int headroom) {
			return 0;
		}

		@Override
		public Duration window() {
			return Duration.ZERO;
		}

	}

}
