package dev.savedtracks.spotify.budget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fair scheduler on its own, with a budget the test hands out one permit at a time:
 * who gets each permit.
 */
class FairRequestSchedulerTest {

	private final HandOutPermits permits = new HandOutPermits();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ThreadPoolTaskScheduler dispatcher = new BudgetConfiguration().spotifyPermitDispatcher();

	private final FairRequestScheduler scheduler = new FairRequestScheduler(this.permits, started(this.dispatcher),
			this.meters);

	private final List<String> granted = Collections.synchronizedList(new ArrayList<>());

	@AfterEach
	void stop() {
		this.scheduler.destroy();
		this.dispatcher.destroy();
	}

	@Test
	void accountsTakeTurnsWhateverHowManyRequestsEachHasWaiting() {
		for (int i = 0; i < 8; i++) {
			ask(Requester.of("large", Priority.INTERACTIVE));
		}
		ask(Requester.of("small", Priority.INTERACTIVE));
		ask(Requester.of("small", Priority.INTERACTIVE));

		handOut(6);

		assertThat(this.granted).containsExactly("large", "small", "large", "small", "large", "large");
	}

	@Test
	void interactiveWorkIsServedBeforeBackgroundWorkThatWaitedLonger() {
		for (int i = 0; i < 4; i++) {
			ask(Requester.of("warm-up", Priority.BACKGROUND));
		}
		ask(Requester.of("signing-in", Priority.INTERACTIVE));
		ask(Requester.of("signing-in", Priority.INTERACTIVE));

		handOut(3);

		assertThat(this.granted).containsExactly("signing-in", "signing-in", "warm-up");
	}

	@Test
	void interactiveWorkArrivingWhileAPermitIsTakenForBackgroundWorkGetsThatPermit() throws Exception {
		CountDownLatch taking = new CountDownLatch(1);
		CountDownLatch arrived = new CountDownLatch(1);
		AtomicBoolean once = new AtomicBoolean(true);
		Limiter slowToTake = new HandOutPermits() {

			@Override
			public long tryTake(int headroom) {
				if (!once.getAndSet(false)) {
					return Duration.ofMillis(5).toNanos();
				}
				holdUntil(taking, arrived);
				return 0;
			}

		};
		FairRequestScheduler racing = new FairRequestScheduler(slowToTake, this.dispatcher, this.meters);
		try {
			ask(racing, Requester.of("warm-up", Priority.BACKGROUND));
			assertThat(taking.await(5, TimeUnit.SECONDS)).isTrue();
			ask(racing, Requester.of("signing-in", Priority.INTERACTIVE));
			arrived.countDown();

			await().atMost(Duration.ofSeconds(5)).until(() -> !this.granted.isEmpty());
			assertThat(this.granted).containsExactly("signing-in");
		}
		finally {
			racing.destroy();
		}
	}

	@Test
	void workSomeoneStartsWaitingForMovesAheadAtOnce() {
		AtomicReference<Priority> priority = new AtomicReference<>(Priority.BACKGROUND);
		Requester joined = new Requester() {

			@Override
			public String accountId() {
				return "joined";
			}

			@Override
			public Priority priority() {
				return priority.get();
			}

		};
		for (int i = 0; i < 3; i++) {
			ask(Requester.of("warm-up", Priority.BACKGROUND));
		}
		ask(joined);
		ask(joined);
		handOut(1);

		priority.set(Priority.INTERACTIVE);
		handOut(2);

		assertThat(this.granted).containsExactly("warm-up", "joined", "joined");
	}

	@Test
	void anAccountThatHadTheReserveLeavesTheLastPermitsOfTheWindowToNewcomers() {
		Window window = new Window(6, 2);
		FairRequestScheduler reserving = new FairRequestScheduler(window, this.dispatcher, this.meters);
		try {
			for (int i = 0; i < 10; i++) {
				ask(reserving, Requester.of("large", Priority.INTERACTIVE));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.granted.size() == 4);

			ask(reserving, Requester.of("newcomer", Priority.INTERACTIVE));
			ask(reserving, Requester.of("newcomer", Priority.INTERACTIVE));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.granted.size() == 6);

			assertThat(this.granted).containsExactly("large", "large", "large", "large", "newcomer", "newcomer");
			assertThat(reserving.queued(Priority.INTERACTIVE)).isEqualTo(6);
		}
		finally {
			reserving.destroy();
		}
	}

	@Test
	void aPermitAtHandWhileNobodyWaitsIsGrantedOnTheAskingThread() {
		FairRequestScheduler direct = new FairRequestScheduler(new InMemory(new Window(6, 2)), this.dispatcher,
				this.meters);
		try {
			AtomicReference<Thread> grantedOn = new AtomicReference<>();

			direct.permit(Requester.of("alone", Priority.INTERACTIVE))
				.doOnSuccess(done -> grantedOn.set(Thread.currentThread()))
				.subscribe();

			assertThat(grantedOn.get()).isSameAs(Thread.currentThread());
		}
		finally {
			direct.destroy();
		}
	}

	@Test
	void aPermitAtHandDoesNotLetARequestOvertakeOneThatWaits() throws Exception {
		CountDownLatch taking = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean full = new AtomicBoolean(true);
		Limiter slowOnTheDispatcher = new InMemory(new HandOutPermits() {

			@Override
			public long tryTake(int headroom) {
				if (!Thread.currentThread().getName().startsWith("spotify-permits-")) {
					return full.get() ? Duration.ofMillis(5).toNanos() : 0;
				}
				holdUntil(taking, release);
				return 0;
			}

		});
		FairRequestScheduler racing = new FairRequestScheduler(slowOnTheDispatcher, this.dispatcher, this.meters);
		try {
			// Waits in turn: the window was full when it asked.
			racing.permit(Requester.of("first", Priority.INTERACTIVE))
				.doOnSuccess(done -> this.granted.add("first"))
				.subscribe(done -> {
				}, shutDown -> {
				});
			assertThat(taking.await(5, TimeUnit.SECONDS)).isTrue();
			full.set(false);

			ask(racing, Requester.of("second", Priority.INTERACTIVE));

			assertThat(this.granted).as("someone waits: the permit at hand is not taken past them").isEmpty();
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.granted.size() == 2);
			assertThat(this.granted).containsExactly("first", "second");
		}
		finally {
			release.countDown();
			racing.destroy();
		}
	}

	@Test
	void aCancelledRequestGivesItsPlaceUp() {
		Disposable gaveUp = this.scheduler.permit(Requester.of("gave-up", Priority.INTERACTIVE))
			.doOnSuccess(done -> this.granted.add("gave-up"))
			.subscribe(done -> {
			}, shutDown -> {
			});
		ask(Requester.of("waiting", Priority.INTERACTIVE));

		gaveUp.dispose();
		handOut(1);

		assertThat(this.granted).containsExactly("waiting");
		assertThat(this.scheduler.queued(Priority.INTERACTIVE)).isZero();
	}

	@Test
	void queueDepthIsCountedPerPriority() {
		ask(Requester.of("a", Priority.INTERACTIVE));
		ask(Requester.of("b", Priority.BACKGROUND));
		ask(Requester.of("b", Priority.BACKGROUND));

		assertThat(this.meters.get("spotify.budget.queue").tag("priority", "interactive").gauge().value()).isEqualTo(1);
		assertThat(this.meters.get("spotify.budget.queue").tag("priority", "background").gauge().value()).isEqualTo(2);
	}

	private static ThreadPoolTaskScheduler started(ThreadPoolTaskScheduler dispatcher) {
		dispatcher.initialize();
		return dispatcher;
	}

	@Test
	void aBudgetThatFailsOnceFailsOnlyTheRequestItWasAskedForAndTheOthersAreStillServed() {
		AtomicBoolean failing = new AtomicBoolean(true);
		List<String> failed = Collections.synchronizedList(new ArrayList<>());
		Limiter failsOnce = new HandOutPermits() {

			@Override
			public long tryTake(int headroom) {
				if (failing.getAndSet(false)) {
					throw new IllegalStateException("the database is out of reach");
				}
				return 0;
			}

		};
		FairRequestScheduler scheduler = new FairRequestScheduler(failsOnce, this.dispatcher, this.meters);
		try {
			for (String account : List.of("ann", "bob", "carl")) {
				scheduler.permit(Requester.of(account, Priority.INTERACTIVE))
					.doOnSuccess(done -> this.granted.add(account))
					.subscribe(done -> {
					}, error -> failed.add(account));
			}

			await().atMost(Duration.ofSeconds(10)).until(() -> this.granted.size() + failed.size() == 3);
			assertThat(failed).hasSize(1);
			assertThat(this.granted).hasSize(2).doesNotContainAnyElementsOf(failed);
		}
		finally {
			scheduler.destroy();
		}
	}

	private void ask(Requester requester) {
		ask(this.scheduler, requester);
	}

	private void ask(FairRequestScheduler scheduler, Requester requester) {
		// What still waits when the test ends fails with "shutting down"; that is not
		// this test's concern.
		scheduler.permit(requester).doOnSuccess(done -> this.granted.add(requester.accountId())).subscribe(done -> {
		}, shutDown -> {
		});
	}

	/**
	 * Lets {@code count} more permits out, one after the other, each once the previous
	 * one was granted.
	 */
	private void handOut(int count) {
		for (int i = 0; i < count; i++) {
			int before = this.granted.size();
			this.permits.release();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.granted.size() == before + 1);
		}
	}

	/**
	 * A window of {@code size} permits that never moves on, with a newcomers' reserve.
	 */
	private static final class Window implements Limiter {

		private final AtomicInteger used = new AtomicInteger();

		private final int size;

		private final int reserve;

		Window(int size, int reserve) {
			this.size = size;
			this.reserve = reserve;
		}

		@Override
		public boolean unlimited() {
			return false;
		}

		@Override
		public synchronized long tryTake(int headroom) {
			if (this.used.get() + headroom < this.size) {
				this.used.incrementAndGet();
				return 0;
			}
			return Duration.ofMillis(5).toNanos();
		}

		@Override
		public int reserve() {
			return this.reserve;
		}

		@Override
		public Duration window() {
			return Duration.ofSeconds(30);
		}

	}

	/** {@code limiter}, answering without blocking as the one in memory does. */
	private static final class InMemory implements Limiter {

		private final Limiter limiter;

		InMemory(Limiter limiter) {
			this.limiter = limiter;
		}

		@Override
		public boolean unlimited() {
			return false;
		}

		@Override
		public long tryTake(int headroom) {
			return this.limiter.tryTake(headroom);
		}

		@Override
		public int reserve() {
			return this.limiter.reserve();
		}

		@Override
		public boolean blocks() {
			return false;
		}

		@Override
		public Duration window() {
			return this.limiter.window();
		}

	}

	/** A budget with no permit until the test releases one. */
	private static class HandOutPermits implements Limiter {

		private final AtomicInteger available = new AtomicInteger();

		void release() {
			this.available.incrementAndGet();
		}

		@Override
		public boolean unlimited() {
			return false;
		}

		@Override
		public long tryTake(int headroom) {
			return (this.available.getAndUpdate(n -> Math.max(0, n - 1)) > 0) ? 0 : Duration.ofMillis(5).toNanos();
		}

		@Override
		public Duration window() {
			return Duration.ofSeconds(30);
		}

	}

	/**
	 * Says that a limiter's {@code tryTake} has begun, then holds it until {@code go} (at
	 * most 5 s).
	 */
	private static void holdUntil(CountDownLatch begun, CountDownLatch go) {
		begun.countDown();
		try {
			go.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
