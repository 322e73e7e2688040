package dev.savedtracks.library.sync;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.savedtracks.coordination.Leases;
import dev.savedtracks.library.LibrarySettings;

/**
 * The threads syncs run on, as Spring beans: started and stopped with the application,
 * and measured by Boot's executor metrics ({@code executor.*{name=...}}). Their threads
 * only start syncs (a lease, the cached head); a running sync waits for the request
 * budget without one. Both accept work until they are destroyed, so that requests still
 * being answered during a graceful shutdown may sync; then a thread still taking a lease
 * is interrupted and waited for (a few seconds; each executor depends on {@link Leases},
 * so it is destroyed first), and {@link Leases} releases every lease still held before
 * the database closes, whether its sync waits for Spotify or for permits of the budget:
 * another replica takes the library over at once, and this one's sync can no longer
 * write, so its library's previous complete copy stays in place. Neither is a default
 * candidate: each is injected by its name only, so Boot keeps its own
 * {@code applicationTaskExecutor} for MVC's async work.
 */
@Configuration(proxyBeanMethods = false)
class SyncExecutors {

	/**
	 * Syncs someone asked for: {@code LIBRARY_MAX_CONCURRENT_SYNCS} threads, which take a
	 * sync's lease and start its pipeline; none waits for the request budget.
	 */
	static final String SYNCS = "librarySyncExecutor";

	/**
	 * Background syncs (warm-up): a few threads, no queue, so that they use only budget
	 * that interactive work leaves idle and never hold up a sync someone waits for.
	 */
	static final String BACKGROUND_SYNCS = "libraryBackgroundSyncExecutor";

	/** Threads that start background syncs. */
	static final int BACKGROUND_THREADS = 2;

	/** Background syncs running at once on one replica. */
	static final int BACKGROUND_SYNCS_AT_ONCE = 2;

	/** How long a shutdown waits for threads interrupted while taking a lease. */
	private static final int RELEASE_SECONDS = 5;

	// Leases: not used here, but injected so that these executors stop before it does.
	@Bean(name = SYNCS, defaultCandidate = false)
	ThreadPoolTaskExecutor librarySyncExecutor(LibrarySettings settings, Leases leases) {
		ThreadPoolTaskExecutor executor = executor("library-sync-", settings.maxConcurrentSyncs());
		executor.setQueueCapacity(10_000);
		return executor;
	}

	@Bean(name = BACKGROUND_SYNCS, defaultCandidate = false)
	ThreadPoolTaskExecutor libraryBackgroundSyncExecutor(Leases leases) {
		ThreadPoolTaskExecutor executor = executor("library-warm-up-", BACKGROUND_THREADS);
		executor.setQueueCapacity(0);
		return executor;
	}

	private static ThreadPoolTaskExecutor executor(String prefix, int threads) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(threads);
		executor.setMaxPoolSize(threads);
		executor.setKeepAliveSeconds(60);
		executor.setAllowCoreThreadTimeOut(true);
		executor.setThreadNamePrefix(prefix);
		executor.setDaemon(true);
		executor.setAcceptTasksAfterContextClose(true);
		executor.setAwaitTerminationSeconds(RELEASE_SECONDS);
		return executor;
	}

}
