package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.store.LibraryReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code LIBRARY_WARM_UP=false} leaves out the warm-up altogether; otherwise it looks for
 * due libraries every two seconds on the application's scheduler, until the application
 * stops.
 */
class LibraryWarmUpLifecycleTest {

	private final AtomicInteger rounds = new AtomicInteger();

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(Scheduling.class, LibraryWarmUp.class)
		.withBean(LibraryReader.class, this::reader)
		.withBean(SyncRunner.class, () -> mock(SyncRunner.class))
		.withBean(LibrarySettings.class, () -> LibraryFixtures.settings(DataSize.ofBytes(0), true))
		.withBean(Clock.class, Clock::systemUTC)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void turnedOffThereIsNoWarmUp() {
		this.contexts.withPropertyValues("library.warm-up=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LibraryWarmUp.class));
	}

	@Test
	void onItLooksForDueLibrariesUntilTheApplicationStops() {
		this.contexts.run(context -> {
			assertThat(context).hasSingleBean(LibraryWarmUp.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.rounds.get() > 0);
		});

		int after = this.rounds.get();
		await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> this.rounds.get() == after);
	}

	private LibraryReader reader() {
		LibraryReader reader = mock(LibraryReader.class);
		given(reader.dueForWarmUp(any(), any(), any(), anyInt())).willAnswer(invocation -> {
			this.rounds.incrementAndGet();
			return List.of();
		});
		return reader;
	}

	/** What the application's scheduling configuration turns on. */
	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Scheduling {

	}

}
