package dev.savedtracks.library.answer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import com.github.benmanes.caffeine.cache.Policy;

/**
 * The disk that answers still being written take, counted against
 * {@code LIBRARY_ANSWER_FILES_SIZE} together with the kept ones: each copy reserves its
 * room in steps as it grows, and the kept answers' bound shrinks by as much (the least
 * used leave to make room). Copies being written may take at most half of the size
 * together; a copy that finds no room is given up (its client's answer goes on).
 */
final class WritingBudget {

	private final long size;

	private final long step;

	private final Policy.Eviction<?, ?> kept;

	private long writing;

	WritingBudget(long size, Policy.Eviction<?, ?> kept) {
		this.size = size;
		this.step = Math.max(1, Math.min(8 * 1024 * 1024, size / 16));
		this.kept = kept;
	}

	/** {@code file}, refusing to grow beyond the room it can reserve. */
	OutputStream limit(OutputStream file) {
		return new Budgeted(file);
	}

	/** The bytes reserved by copies being written now. */
	synchronized long writing() {
		return this.writing;
	}

	private synchronized boolean reserve(long bytes) {
		if (this.writing + bytes > this.size / 2) {
			return false;
		}
		this.writing += bytes;
		this.kept.setMaximum(this.size - this.writing);
		return true;
	}

	private synchronized void release(long bytes) {
		this.writing -= bytes;
		this.kept.setMaximum(this.size - this.writing);
	}

	private final class Budgeted extends FilterOutputStream {

		private long reserved;

		private long used;

		private boolean closed;

		Budgeted(OutputStream file) {
			super(file);
		}

		@Override
		public void write(int b) throws IOException {
			room(1);
			this.out.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			room(length);
			this.out.write(bytes, offset, length);
		}

		private void room(int length) throws IOException {
			long missing = this.used + length - this.reserved;
			if (missing > 0) {
				long more = Math.max(WritingBudget.this.step, missing);
				if (!reserve(more)) {
					throw new IOException("no room left for answers being written (LIBRARY_ANSWER_FILES_SIZE)");
				}
				this.reserved += more;
			}
			this.used += length;
		}

		@Override
		public void close() throws IOException {
			try {
				super.close();
			}
			finally {
				if (!this.closed) {
					this.closed = true;
					release(this.reserved);
				}
			}
		}

	}

}
