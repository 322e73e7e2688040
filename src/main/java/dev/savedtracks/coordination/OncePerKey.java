package dev.savedtracks.coordination;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import dev.savedtracks.coordination.Leases.Lease;

/**
 * Runs a piece of work once per key, on this replica and across replicas: concurrent
 * callers on one replica share one run (the first starts it, the others join it), and the
 * run itself takes the key's database lease, so that of several replicas asked at once
 * only one does the work while the others find it done. Every wait is bounded, and the
 * number of callers that may wait for one key is capped, so a storm of requests for one
 * key cannot hold every request thread of the replica.
 */
@Component
public class OncePerKey {

	private final Leases leases;

	private final ConcurrentMap<String, Run<?>> running = new ConcurrentHashMap<>();

	OncePerKey(Leases leases) {
		this.leases = leases;
	}

	/**
	 * The run of {@code work} for {@code key}: the one already going on this replica, or
	 * a new one started on {@code executor} (a direct executor runs it in the caller's
	 * thread). The new run takes the lease named {@code key}, waiting for it as
	 * {@code terms} allow; {@code work} gets the lease, or nothing when
	 * {@code doneElsewhere} became true while another replica held it (the run then only
	 * reads its result). Work that gets the lease checks for itself whether it is still
	 * needed: another replica may have finished just before.
	 */
	public <T> Run<T> start(String key, Executor executor, Terms terms, BooleanSupplier doneElsewhere,
			Function<Optional<Lease>, T> work) {
		return startAsync(key, executor, terms, doneElsewhere,
				lease -> CompletableFuture.completedFuture(work.apply(lease)));
	}

	/**
	 * As {@link #start}, for work that finishes later without holding a thread meanwhile
	 * (a reactive pipeline that waits for permits of the request budget): the executor's
	 * thread only takes the lease and starts the work, and the lease is released when the
	 * stage completes.
	 */
	public <T> Run<T> startAsync(String key, Executor executor, Terms terms, BooleanSupplier doneElsewhere,
			Function<Optional<Lease>, ? extends CompletionStage<T>> work) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Run<T> mine = new Run<>(result);
		@SuppressWarnings("unchecked")
		Run<T> existing = (Run<T>) this.running.putIfAbsent(key, mine);
		if (existing != null) {
			return existing;
		}
		result.whenComplete((value, error) -> this.running.remove(key, mine));
		try {
			executor.execute(() -> {
				try {
					Optional<Lease> lease = this.leases.acquire(key, terms.leaseTtl(), terms.leaseWait(),
							doneElsewhere);
					CompletionStage<T> stage;
					try {
						stage = work.apply(lease);
					}
					catch (RuntimeException | Error ex) {
						lease.ifPresent(Lease::close);
						throw ex;
					}
					stage.whenComplete((value, error) -> {
						try {
							// Released before callers are answered: a run they start next
							// must find the lease free.
							lease.ifPresent(Lease::close);
						}
						catch (RuntimeException ex) {
							if (error == null) {
								result.completeExceptionally(ex);
								return;
							}
						}
						if (error != null) {
							result.completeExceptionally(unwrapped(error));
						}
						else {
							result.complete(value);
						}
					});
				}
				catch (RuntimeException | Error ex) {
					result.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			result.completeExceptionally(new Busy(key));
		}
		return mine;
	}

	private static Throwable unwrapped(Throwable error) {
		return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
	}

	/** Whether work for {@code key} is running on this replica. */
	public boolean isRunning(String key) {
		return this.running.containsKey(key);
	}

	/** How many keys have work running on this replica. */
	public int runningCount() {
		return this.running.size();
	}

	/**
	 * How long a run holds its lease without renewal, and how long it waits for a lease
	 * another replica holds.
	 */
	public record Terms(Duration leaseTtl, Duration leaseWait) {
	}

	/** One run of the work for a key, which callers wait for. */
	public static final class Run<T> {

		private final CompletableFuture<T> result;

		private final AtomicInteger waiting = new AtomicInteger();

		Run(CompletableFuture<T> result) {
			this.result = result;
		}

		/**
		 * The result of the run, waiting at most {@code timeout}, as one of at most
		 * {@code maxWaiters} callers waiting at once (a caller beyond them does not wait
		 * at all).
		 * @throws TimeoutException when the run did not finish in time, or too many
		 * callers were already waiting; the run goes on
		 * @throws RuntimeException what the work threw
		 */
		public T await(Duration timeout, int maxWaiters) throws TimeoutException {
			if (this.result.isDone()) {
				return join(timeout);
			}
			if (this.waiting.incrementAndGet() > maxWaiters) {
				this.waiting.decrementAndGet();
				throw new TimeoutException("too many callers waiting");
			}
			try {
				return join(timeout);
			}
			finally {
				this.waiting.decrementAndGet();
			}
		}

		/**
		 * Calls {@code action} with the result or the failure once the run has finished.
		 */
		public void whenDone(java.util.function.BiConsumer<? super T, ? super Throwable> action) {
			this.result.whenComplete(action);
		}

		/** Whether the run has finished, one way or the other. */
		public boolean isDone() {
			return this.result.isDone();
		}

		private T join(Duration timeout) throws TimeoutException {
			try {
				return this.result.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (ex.getCause() instanceof Error error) {
					throw error;
				}
				throw new IllegalStateException(ex.getCause());
			}
			catch (CancellationException ex) {
				throw new TimeoutException("cancelled");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new TimeoutException("interrupted");
			}
		}

	}

	/** The executor could not take another run; try again later. */
	public static class Busy extends RuntimeException {

		Busy(String key) {
			super("no capacity to run " + key + " now");
		}

	}

}
