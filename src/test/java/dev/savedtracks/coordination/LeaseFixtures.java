package dev.savedtracks.coordination;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

/** Leases for tests of the code that writes under them. */
public final class LeaseFixtures {

	private LeaseFixtures() {
	}

	/**
	 * Leases whose renewals never run, as when a database blip stalls them: a holder keeps its lease for one time to
	 * live from acquiring it, and then another replica may take it over.
	 */
	public static Leases withoutRenewals(JdbcClient jdbc, Clock clock) {
		ScheduledExecutorService stalled = mock(ScheduledExecutorService.class);
		doReturn(mock(ScheduledFuture.class)).when(stalled)
			.scheduleAtFixedRate(any(Runnable.class), anyLong(), anyLong(), any(TimeUnit.class));
		return new Leases(jdbc, clock, stalled);
	}

}
