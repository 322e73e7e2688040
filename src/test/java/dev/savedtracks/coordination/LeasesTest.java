package dev.savedtracks.coordination;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.savedtracks.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Database leases: exclusive while held, released on close, and taken over once a dead
 * holder's lease lapses.
 */
class LeasesTest {

	private static JdbcClient database;

	private JdbcClient jdbc;

	private Leases first;

	private Leases second;

	@BeforeAll
	static void schema() {
		// The schema Flyway builds, as the service runs on; migrated once for the class.
		database = JdbcClient.create(TestDatabases.migratedH2());
	}

	@BeforeEach
	void noLeases() {
		database.sql("delete from lease").update();
		this.jdbc = database;
		this.first = new Leases(this.jdbc, Clock.systemUTC());
		this.second = new Leases(this.jdbc, Clock.systemUTC());
	}

	@Test
	void onlyOneHolderAtATimeAndReleasedOnClose() {
		Optional<Leases.Lease> held = this.first.tryAcquire("sync:a", Duration.ofSeconds(30));

		assertThat(held).isPresent();
		assertThat(this.second.tryAcquire("sync:a", Duration.ofSeconds(30))).isEmpty();
		assertThat(this.second.tryAcquire("sync:b", Duration.ofSeconds(30))).isPresent();
		held.get().close();
		assertThat(this.second.tryAcquire("sync:a", Duration.ofSeconds(30))).isPresent();
	}

	@Test
	void leasesStillHeldAtShutdownAreReleasedAtOnceAndTheirHoldersMayNoLongerWrite() {
		Leases.Lease held = this.first.tryAcquire("sync:a", Duration.ofMinutes(5)).orElseThrow();

		this.first.destroy();

		assertThat(this.second.tryAcquire("sync:a", Duration.ofSeconds(30))).as("taken without waiting").isPresent();
		assertThat(held.isHeld()).isFalse();
		assertThatExceptionOfType(LeaseLost.class).isThrownBy(held::guard);
		assertThatExceptionOfType(LeaseUnavailable.class)
			.isThrownBy(() -> this.first.tryAcquire("sync:b", Duration.ofSeconds(30)));
		held.close();
		assertThat(this.jdbc.sql("select count(*) from lease where name = 'sync:a'").query(Integer.class).single())
			.as("the new holder's lease stays")
			.isEqualTo(1);
	}

	@Test
	void lapsedLeaseOfADeadHolderIsTakenOver() throws InterruptedException {
		this.jdbc.sql("insert into lease (name, holder, expires_at) values ('sync:a', 'dead-replica', ?)")
			.param(java.sql.Timestamp.from(java.time.Instant.now().plusMillis(300)))
			.update();

		Optional<Leases.Lease> lease = this.second.acquire("sync:a", Duration.ofSeconds(30), Duration.ofSeconds(5),
				() -> false);

		assertThat(lease).isPresent();
	}

	@Test
	void heldLeaseIsRenewedWhileItsHolderWorks() throws InterruptedException {
		try (Leases.Lease held = this.first.tryAcquire("sync:a", Duration.ofMillis(300)).orElseThrow()) {
			Thread.sleep(700);

			assertThat(this.second.tryAcquire("sync:a", Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void waiterGivesUpAfterItsMaximumWait() {
		this.first.tryAcquire("sync:a", Duration.ofSeconds(30));

		assertThatExceptionOfType(LeaseUnavailable.class).isThrownBy(
				() -> this.second.acquire("sync:a", Duration.ofSeconds(30), Duration.ofMillis(300), () -> false));
	}

	@Test
	void waiterStopsWaitingWhenTheWorkWasDoneElsewhere() {
		this.first.tryAcquire("sync:a", Duration.ofSeconds(30));

		assertThat(this.second.acquire("sync:a", Duration.ofSeconds(30), Duration.ofSeconds(5), () -> true)).isEmpty();
	}

}
