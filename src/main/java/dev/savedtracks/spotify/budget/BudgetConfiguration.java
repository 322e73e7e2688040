package dev.savedtracks.spotify.budget;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The thread that grants the request budget's permits. */
@Configuration(proxyBeanMethods = false)
class BudgetConfiguration {

	/**
	 * One thread per replica, on which {@link FairRequestScheduler} grants permits (its
	 * pool metrics are {@code executor_*{name="spotifyPermitDispatcher"}}). Not a default
	 * candidate: it must not become the application's {@code TaskScheduler} for
	 * {@code @Scheduled} work, nor make Boot's own back off. It keeps granting while the
	 * server drains its requests at shutdown, and stops after the scheduler fails what
	 * still waits.
	 */
	@Bean(defaultCandidate = false)
	ThreadPoolTaskScheduler spotifyPermitDispatcher() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("spotify-permits-");
		scheduler.setDaemon(true);
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

}
