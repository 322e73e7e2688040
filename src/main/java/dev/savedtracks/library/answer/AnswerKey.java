package dev.savedtracks.library.answer;

import dev.savedtracks.library.store.Head;

/**
 * What an encoded answer's bytes depend on, and nothing else: the person, the exact
 * version of their copy (its epoch, version number and sync time, which every change to
 * the copy moves, on whichever replica made it), the window and the format. Stale and
 * fresh answers of one version have the same bytes (staleness travels in a header), so an
 * answer kept under this key can be served for as long as the copy is current and never
 * after.
 */
record AnswerKey(String accountId, long epoch, long version, long syncedAtMillis, int offset, int limit,
		String format) {

	static AnswerKey of(OpenLibrary library, SavedTracksFormat format) {
		return of(library, format.name());
	}

	static AnswerKey of(OpenLibrary library, String format) {
		Head head = library.head();
		return new AnswerKey(library.accountId(), head.epoch(), head.version(), syncedAtMillis(head),
				library.window().offset(), library.window().limit(), format);
	}

	/** The same answer keyed as the whole library, whatever limit covered it. */
	AnswerKey wholeLibrary() {
		return new AnswerKey(this.accountId, this.epoch, this.version, this.syncedAtMillis, 0, Window.MAX, this.format);
	}

	static long syncedAtMillis(Head head) {
		return (head.syncedAt() != null) ? head.syncedAt().toEpochMilli() : 0;
	}

	/** Whether this answer was read from {@code current}, the person's copy now. */
	boolean readFrom(Head current) {
		return current.epoch() == this.epoch && current.version() == this.version
				&& syncedAtMillis(current) == this.syncedAtMillis;
	}

}
