package dev.savedtracks.library.sync;

import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.SignalType;

/**
 * The page requests one sync may have in flight ({@code SPOTIFY_PAGE_CONCURRENCY}),
 * handed out first come, first served: a page's slot is given to the next page waiting as
 * soon as its answer arrives, whatever the pages before it are doing. Pages are still
 * delivered in order (see {@link SyncPages#range}); only the requests no longer wait for
 * the slowest page of a round.
 */
final class PageSlots {

	private final Object lock = new Object();

	private final ArrayDeque<Holder> waiting = new ArrayDeque<>();

	/** Slots free now; under the lock. */
	private int free;

	PageSlots(int slots) {
		this.free = Math.max(1, slots);
	}

	/**
	 * {@code work}, subscribed to once a slot is free. The slot goes to the next page as
	 * soon as an answer arrives (before what follows handles it), or once a failure has
	 * been handled (by then a sync that fails has cancelled its other pages). A cancelled
	 * page only frees its slot: pages are cancelled when the whole range is, and a page
	 * waiting behind must not send a request that nobody will read.
	 */
	<T> Mono<T> within(Mono<T> work) {
		return Mono.defer(() -> {
			Holder holder = new Holder();
			return Mono.<Boolean>create(holder::await)
				.flatMap(held -> work)
				.doOnNext(answer -> holder.leave(true))
				.doFinally(signal -> holder.leave(signal != SignalType.CANCEL));
		});
	}

	/** Slots free now: for tests. */
	int free() {
		synchronized (this.lock) {
			return this.free;
		}
	}

	private enum State {

		NEW, WAITING, HOLDING, DONE

	}

	/** One page's claim on a slot. */
	private final class Holder {

		/** Under the lock. */
		private State state = State.NEW;

		/** Under the lock. */
		private @Nullable MonoSink<Boolean> sink;

		void await(MonoSink<Boolean> sink) {
			boolean granted;
			synchronized (PageSlots.this.lock) {
				if (this.state != State.NEW) {
					return;
				}
				granted = PageSlots.this.free > 0;
				if (granted) {
					PageSlots.this.free--;
					this.state = State.HOLDING;
				}
				else {
					this.sink = sink;
					this.state = State.WAITING;
					PageSlots.this.waiting.add(this);
				}
			}
			if (granted) {
				sink.success(Boolean.TRUE);
			}
		}

		/**
		 * Gives the slot back (to the first page waiting when {@code handOn}), or the
		 * place in the queue up. A slot handed to a page that was being cancelled comes
		 * back here too.
		 */
		void leave(boolean handOn) {
			MonoSink<Boolean> grant;
			synchronized (PageSlots.this.lock) {
				State was = this.state;
				this.state = State.DONE;
				if (was == State.WAITING) {
					PageSlots.this.waiting.remove(this);
					return;
				}
				if (was != State.HOLDING) {
					return;
				}
				Holder next = handOn ? PageSlots.this.waiting.poll() : null;
				if (next == null) {
					PageSlots.this.free++;
					return;
				}
				next.state = State.HOLDING;
				grant = next.sink;
			}
			if (grant != null) {
				grant.success(Boolean.TRUE);
			}
		}

	}

}
