package dev.savedtracks.spotify.budget;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;

/**
 * The requests waiting for a permit, and whose turn it is: one request per account in
 * turn (round-robin over the accounts with requests waiting), interactive work before
 * background work. Not thread-safe: {@link FairRequestScheduler} uses it under its lock.
 */
final class Turns {

	/** Waiting requests per account; the iteration order is the round-robin turn. */
	private final Map<String, ArrayDeque<Waiting>> waiting = new LinkedHashMap<>();

	void add(Waiting entry) {
		this.waiting.computeIfAbsent(entry.requester().accountId(), account -> new ArrayDeque<>()).addLast(entry);
	}

	/** {@code entry} gave its place up. */
	void remove(Waiting entry) {
		ArrayDeque<Waiting> queue = this.waiting.get(entry.requester().accountId());
		if (queue != null && queue.remove(entry) && queue.isEmpty()) {
			this.waiting.remove(entry.requester().accountId());
		}
	}

	/** The first account in turn with interactive work, else the first with any. */
	@Nullable Waiting first() {
		return first(entry -> true);
	}

	/**
	 * Of the requests first in their account's queue that {@code eligible} accepts: the
	 * first in turn with interactive work, else the first with any.
	 */
	@Nullable Waiting first(Predicate<Waiting> eligible) {
		Waiting background = null;
		for (ArrayDeque<Waiting> queue : this.waiting.values()) {
			Waiting first = queue.peekFirst();
			if (first == null || !eligible.test(first)) {
				continue;
			}
			if (first.requester().priority() == Priority.INTERACTIVE) {
				return first;
			}
			if (background == null) {
				background = first;
			}
		}
		return background;
	}

	/**
	 * Who gets the permit just taken for {@code chosen}: {@code chosen}, unless
	 * interactive work arrived while the permit was taken for background work, or
	 * {@code chosen} gave up its place meanwhile. A permit taken for background work
	 * serves interactive work too (background work only gets what interactive work
	 * leaves).
	 */
	Waiting stillFirst(Waiting chosen) {
		Waiting now = first();
		if (now == null || now == chosen) {
			return chosen;
		}
		ArrayDeque<Waiting> queue = this.waiting.get(chosen.requester().accountId());
		boolean queued = queue != null && queue.contains(chosen);
		boolean overtaken = now.requester().priority() == Priority.INTERACTIVE
				&& chosen.requester().priority() != Priority.INTERACTIVE;
		return (!queued || overtaken) ? now : chosen;
	}

	/** {@code entry} got its permit: its account moves to the end of the turn. */
	void granted(Waiting entry) {
		String account = entry.requester().accountId();
		ArrayDeque<Waiting> queue = this.waiting.remove(account);
		if (queue != null) {
			queue.remove(entry);
			if (!queue.isEmpty()) {
				this.waiting.put(account, queue);
			}
		}
	}

	/** Every request waiting, removed. */
	List<Waiting> removeAll() {
		List<Waiting> all = new ArrayList<>();
		this.waiting.values().forEach(all::addAll);
		this.waiting.clear();
		return all;
	}

	/**
	 * Requests waiting now behind a first request of the given priority (as its requester
	 * says at this moment).
	 */
	int queued(Priority priority) {
		int count = 0;
		for (ArrayDeque<Waiting> queue : this.waiting.values()) {
			if (!queue.isEmpty() && queue.peekFirst().requester().priority() == priority) {
				count += queue.size();
			}
		}
		return count;
	}

	/**
	 * A request waiting for its permit since {@code since} ({@link System#nanoTime()}).
	 */
	record Waiting(Requester requester, MonoSink<Void> sink, long since) {
	}

}
