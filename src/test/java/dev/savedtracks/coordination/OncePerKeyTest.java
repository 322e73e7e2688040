package dev.savedtracks.coordination;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.savedtracks.TestDatabases;
import dev.savedtracks.coordination.Leases.Lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One run per key: shared by the callers of a replica, fenced across replicas, with
 * bounded waits.
 */
class OncePerKeyTest {

	private static final OncePerKey.Terms TERMS = new OncePerKey.Terms(Duration.ofSeconds(30), Duration.ofSeconds(5));

	private static final Duration LONG = Duration.ofSeconds(10);

	private static JdbcClient jdbc;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger runs = new AtomicInteger();

	private Leases leases;

	private OncePerKey once;

	@BeforeAll
	static void database() {
		jdbc = JdbcClient.create(TestDatabases.migratedH2());
	}

	@BeforeEach
	void replica() {
		this.leases = new Leases(jdbc, Clock.systemUTC());
		this.once = new OncePerKey(this.leases);
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.threads.shutdownNow();
		jdbc.sql("delete from lease").update();
	}

	@Test
	void concurrentCallersShareOneRun() throws Exception {
		OncePerKey.Run<String> first = this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked);

		OncePerKey.Run<String> second = this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked);
		Future<String> waiter = this.threads.submit(() -> second.await(LONG, 10));
		this.release.countDown();

		assertThat(second).isSameAs(first);
		assertThat(first.await(LONG, 10)).isEqualTo("done 1");
		assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("done 1");
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void nextCallerAfterARunFinishedStartsANewOne() throws Exception {
		this.release.countDown();
		this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked).await(LONG, 10);

		String again = this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked).await(LONG, 10);

		assertThat(again).isEqualTo("done 2");
		assertThat(this.once.isRunning("sync:alice")).isFalse();
	}

	@Test
	void runsOfOtherKeysAreNotShared() throws Exception {
		this.release.countDown();

		String alice = this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked).await(LONG, 10);
		String bob = this.once.start("sync:bob", this.threads, TERMS, () -> false, this::blocked).await(LONG, 10);

		assertThat(List.of(alice, bob)).containsExactlyInAnyOrder("done 1", "done 2");
	}

	@Test
	void callerBeyondTheMostThatMayWaitDoesNotWait() throws Exception {
		OncePerKey.Run<String> run = this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked);
		Thread waiting = waitingThread(run, 1);

		long started = System.nanoTime();
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> run.await(LONG, 1));

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(waiting.isAlive()).isTrue();
		this.release.countDown();
		waiting.join(10_000);
		assertThat(run.await(LONG, 1)).isEqualTo("done 1");
	}

	@Test
	void waiterThatTimesOutLeavesTheRunGoing() throws Exception {
		OncePerKey.Run<String> run = this.once.start("sync:alice", this.threads, TERMS, () -> false, this::blocked);

		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> run.await(Duration.ofMillis(50), 10));

		assertThat(run.isDone()).isFalse();
		assertThat(this.once.isRunning("sync:alice")).isTrue();
		this.release.countDown();
		assertThat(run.await(LONG, 10)).isEqualTo("done 1");
	}

	@Test
	void freeLeaseIsTakenWithoutAskingWhetherTheWorkWasDoneElsewhere() throws Exception {
		List<Optional<Lease>> leases = new ArrayList<>();

		String result = this.once.start("sync:alice", this.threads, TERMS, () -> {
			throw new AssertionError("asked although the lease was free");
		}, lease -> {
			leases.add(lease);
			return lease.isPresent() ? "worked, after checking for itself" : "read what the other replica wrote";
		}).await(LONG, 10);

		assertThat(result).isEqualTo("worked, after checking for itself");
		assertThat(leases).hasSize(1).allMatch(Optional::isPresent);
	}

	@Test
	void replicaWaitingForTheLeaseSkipsTheWorkOnceAnotherReplicaDidIt() throws Exception {
		Lease elsewhere = new Leases(jdbc, Clock.systemUTC()).tryAcquire("sync:alice", Duration.ofSeconds(30))
			.orElseThrow();
		AtomicBoolean doneElsewhere = new AtomicBoolean();
		OncePerKey.Run<String> here = this.once.start("sync:alice", this.threads, TERMS, doneElsewhere::get,
				lease -> lease.isPresent() ? "worked" : "skipped");

		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> here.await(Duration.ofMillis(100), 10));
		doneElsewhere.set(true);

		assertThat(here.await(LONG, 10)).isEqualTo("skipped");
		elsewhere.close();
	}

	@Test
	void workRunsUnderTheKeysLeaseWhichIsReleasedAfterwards() throws Exception {
		this.release.countDown();

		String holder = this.once.start("sync:alice", this.threads, TERMS, () -> false, lease -> {
			lease.orElseThrow().guard();
			return jdbc.sql("select holder from lease where name = 'sync:alice'").query(String.class).single();
		}).await(LONG, 10);

		assertThat(holder).startsWith(this.leases.replica());
		// Callers are answered before the lease is released: it goes a moment later.
		assertThat(eventually(() -> leaseCount("sync:alice") == 0)).isTrue();
	}

	@Test
	void failureOfTheWorkReachesEveryWaiter() {
		OncePerKey.Run<String> run = this.once.start("sync:alice", this.threads, TERMS, () -> false, lease -> {
			throw new IllegalStateException("boom");
		});

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> run.await(LONG, 10))
			.withMessage("boom");
		assertThat(this.once.isRunning("sync:alice")).isFalse();
	}

	@Test
	void executorWithoutCapacityMakesTheRunBusy() {
		OncePerKey.Run<String> run = this.once.start("sync:alice", work -> {
			throw new RejectedExecutionException("full");
		}, TERMS, () -> false, this::blocked);

		assertThatExceptionOfType(OncePerKey.Busy.class).isThrownBy(() -> run.await(LONG, 10));
		assertThat(this.once.isRunning("sync:alice")).isFalse();
		assertThat(this.runs).hasValue(0);
	}

	/**
	 * The work of the tests: waits until the test releases it, then says which run it
	 * was.
	 */
	private String blocked(Optional<Lease> lease) {
		int run = this.runs.incrementAndGet();
		try {
			if (!this.release.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return "done " + run;
	}

	/** A thread waiting for {@code run}, once it is waiting. */
	private static Thread waitingThread(OncePerKey.Run<String> run, int maxWaiters) throws InterruptedException {
		Thread thread = new Thread(() -> {
			try {
				run.await(LONG, maxWaiters);
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException(ex);
			}
		});
		thread.setDaemon(true);
		thread.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
		return thread;
	}

	private static int leaseCount(String name) {
		return jdbc.sql("select count(*) from lease where name = ?").param(name).query(Integer.class).single();
	}

	private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(5);
		}
		return true;
	}

}
