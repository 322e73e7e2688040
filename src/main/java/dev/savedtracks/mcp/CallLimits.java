package dev.savedtracks.mcp;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;

/**
 * How many tool calls and resource reads run at once: at most
 * {@code MCP_CALLS_PER_PERSON} for one person (all their API keys and connected apps
 * together, since they read the same library) and {@code MCP_MAX_CALLS} on this replica
 * for everyone. Each call scans or streams a whole library on a request thread; without a
 * bound, one key could hold every request thread and the bulk-read slots others'
 * downloads need. A call beyond a bound is refused at once, never queued: the caller is
 * told when to try again.
 */
@Component
class CallLimits {

	private final McpSettings settings;

	private final Semaphore overall;

	/** Calls running per person; a person with none has no entry. */
	private final ConcurrentMap<String, Integer> running = new ConcurrentHashMap<>();

	CallLimits(McpSettings settings) {
		this.settings = settings;
		this.overall = new Semaphore(settings.maxCalls());
	}

	/**
	 * A turn for one call of {@code accountId}, to close when the call is done; empty
	 * when the person or the replica already runs as many calls as allowed.
	 */
	Optional<Turn> enter(String accountId) {
		boolean[] admitted = new boolean[1];
		this.running.compute(accountId, (id, count) -> {
			int now = (count != null) ? count : 0;
			admitted[0] = now < this.settings.callsPerPerson();
			return admitted[0] ? Integer.valueOf(now + 1) : count;
		});
		if (!admitted[0]) {
			return Optional.empty();
		}
		if (!this.overall.tryAcquire()) {
			leave(accountId);
			return Optional.empty();
		}
		AtomicBoolean closed = new AtomicBoolean();
		return Optional.of(() -> {
			if (closed.compareAndSet(false, true)) {
				this.overall.release();
				leave(accountId);
			}
		});
	}

	Duration retryAfter() {
		return this.settings.retryAfter();
	}

	/** What an over-limit call is told, in words a model can act on. */
	String refusal() {
		long seconds = Math.max(1, this.settings.retryAfter().toSeconds());
		return "Too many calls at once: at most " + this.settings.callsPerPerson() + " of your tool calls run at the "
				+ "same time, and the service is busy. Wait for your other calls to finish, then try again in "
				+ seconds + " seconds. (error: too-many-calls, retryAfterSeconds: " + seconds + ")";
	}

	private void leave(String accountId) {
		this.running.computeIfPresent(accountId, (id, count) -> (count > 1) ? Integer.valueOf(count - 1) : null);
	}

	/** A call's place among those running. */
	@FunctionalInterface
	interface Turn extends AutoCloseable {

		@Override
		void close();

	}

}
