package dev.savedtracks.library.answer;

import java.util.concurrent.Semaphore;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.savedtracks.library.LibrarySettings;

/**
 * How much memory the answers held whole in memory may take together, across all requests
 * of this replica ({@code LIBRARY_ANSWER_MEMORY}, a quarter of the heap by default): an
 * answer that does not fit is streamed from the database in chunks instead, so a hundred
 * large answers at once cannot exhaust the heap.
 */
@Component
public class MemoryBudget {

	/** Counted in kilobytes, so that a semaphore's int range covers any budget. */
	private final Semaphore kilobytes;

	MemoryBudget(LibrarySettings settings) {
		long bytes = settings.answerMemory().toBytes();
		if (bytes == 0) {
			// A quarter of the heap: the rest is for the encoded-answer cache, chunks
			// being streamed and everything else.
			bytes = Runtime.getRuntime().maxMemory() / 4;
		}
		this.kilobytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes / 1024));
	}

	/**
	 * Takes {@code bytes} of the budget if they are free now; the grant must be closed
	 * when the memory is let go.
	 * @return the grant, or {@code null} when the budget is spent
	 */
	public @Nullable Grant tryTake(long bytes) {
		int wanted = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (bytes + 1023) / 1024));
		return this.kilobytes.tryAcquire(wanted) ? new Grant(wanted) : null;
	}

	/** A share of the budget. */
	public final class Grant implements AutoCloseable {

		private final int kilobytes;

		private boolean released;

		private Grant(int kilobytes) {
			this.kilobytes = kilobytes;
		}

		@Override
		public synchronized void close() {
			if (!this.released) {
				this.released = true;
				MemoryBudget.this.kilobytes.release(this.kilobytes);
			}
		}

	}

}
