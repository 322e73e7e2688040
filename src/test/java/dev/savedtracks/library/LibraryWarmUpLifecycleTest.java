package dev.savedtracks.library;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.LibraryWarmUp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code LIBRARY_WARM_UP=false} starts nothing; otherwise the warm-up looks for due
 * libraries on a thread of its own, which ends when the application stops.
 */
class LibraryWarmUpLifecycleTest {

	private final AtomicInteger rounds = new AtomicInteger();

	private LibraryWarmUp warmUp;

	@AfterEach
	void stop() {
		if (this.warmUp != null) {
			this.warmUp.stop();
		}
	}

	@Test
	void turnedOffItStartsNoThreadAndLooksForNothing() throws InterruptedException {
		this.warmUp = warmUp(false);
		long others = warmUpThreads();

		this.warmUp.start();
		Thread.sleep(100);

		assertThat(this.warmUp.isRunning()).isFalse();
		assertThat(warmUpThreads()).isEqualTo(others);
		assertThat(this.rounds).hasValue(0);
	}

	@Test
	void onItLooksForDueLibrariesUntilStoppedAndThenItsThreadEnds() {
		this.warmUp = warmUp(true);
		// Application contexts of other tests in this JVM may run warm-ups of their own.
		long others = warmUpThreads();

		this.warmUp.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rounds.get() > 0);
		assertThat(this.warmUp.isRunning()).isTrue();
		assertThat(warmUpThreads()).isEqualTo(others + 1);

		this.warmUp.stop();

		assertThat(this.warmUp.isRunning()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> warmUpThreads() == others);
		int after = this.rounds.get();
		await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> this.rounds.get() == after);
	}

	private LibraryWarmUp warmUp(boolean on) {
		LibraryReader heads = mock(LibraryReader.class);
		given(heads.dueForWarmUp(any(), any(), any(), anyInt())).willAnswer(invocation -> {
			this.rounds.incrementAndGet();
			return List.of();
		});
		return new LibraryWarmUp(heads, null, LibraryFixtures.settings(DataSize.ofBytes(0), on), Clock.systemUTC(),
				new SimpleMeterRegistry());
	}

	private static long warmUpThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(thread -> thread.getName().equals("library-warm-up"))
			.filter(Thread::isAlive)
			.count();
	}

}
