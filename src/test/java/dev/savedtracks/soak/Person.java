package dev.savedtracks.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

/**
 * A person of the soak run: their emulated Spotify user, their API key, and every version
 * of their library the emulator held, with when, so that an answer can be judged against
 * what Spotify really held around it. The library is changed only through
 * {@link #change}, which records the versions.
 */
final class Person {

	private final EmulatedUser user;

	/** Oldest first; guarded by {@code this}. */
	private final List<Version> versions = new ArrayList<>();

	private volatile @Nullable String key;

	private volatile boolean served;

	private volatile long deletedAt;

	Person(EmulatedUser user) {
		this.user = user;
		this.versions.add(new Version(ids(user), System.nanoTime(), Long.MAX_VALUE));
	}

	String id() {
		return this.user.id();
	}

	EmulatedUser user() {
		return this.user;
	}

	@Nullable String key() {
		return this.key;
	}

	void key(String key) {
		this.key = key;
	}

	/**
	 * Whether a copy of the library has been served to this person: from then on one is
	 * cached.
	 */
	boolean served() {
		return this.served;
	}

	void wasServed() {
		this.served = true;
	}

	/**
	 * When the deletion of this person's data was answered (System.nanoTime()), 0 while
	 * not deleted.
	 */
	long deletedAt() {
		return this.deletedAt;
	}

	void deleted(long at) {
		this.deletedAt = at;
	}

	/** The number of tracks in the library now. */
	synchronized int size() {
		return this.versions.get(this.versions.size() - 1).ids().size();
	}

	/**
	 * Changes the library in the emulator. The new version may be seen from just before
	 * the change and the old one until just after it: the overlap makes the judgement
	 * lenient, never wrong.
	 */
	synchronized void change(Consumer<EmulatedUser> change) {
		long before = System.nanoTime();
		change.accept(this.user);
		List<String> ids = ids(this.user);
		long after = System.nanoTime();
		int last = this.versions.size() - 1;
		this.versions.set(last, this.versions.get(last).until(after));
		this.versions.add(new Version(ids, before, Long.MAX_VALUE));
	}

	/**
	 * Judges the content of an answer: the ids of a window (or of the whole library when
	 * {@code limit} is -1) and the total it reported (-1 when the format has none).
	 * @return how long before the request started the newest matching version had been
	 * replaced (0 when it was held during the request), or -1 when no version held before
	 * the request ended matches
	 */
	synchronized long lag(List<String> ids, int total, int offset, int limit, long start, long end) {
		long best = -1;
		for (Version version : this.versions) {
			if (version.from() > end || !version.matches(ids, total, offset, limit)) {
				continue;
			}
			long lag = Math.max(0, start - version.until());
			if (best < 0 || lag < best) {
				best = lag;
			}
		}
		return best;
	}

	/** The library's ids in Spotify order, as a correct answer lists them. */
	private static List<String> ids(EmulatedUser user) {
		List<String> ids = new ArrayList<>();
		for (SavedTrack track : user.visibleLibrary()) {
			ids.add(track.id());
		}
		return List.copyOf(ids);
	}

	@Override
	public String toString() {
		return this.user.id();
	}

	/** One version of the library and when the emulator held it, in System.nanoTime(). */
	record Version(List<String> ids, long from, long until) {

		Version until(long at) {
			return new Version(this.ids, this.from, at);
		}

		boolean matches(List<String> window, int total, int offset, int limit) {
			if (total >= 0 && total != this.ids.size()) {
				return false;
			}
			int from = Math.min(offset, this.ids.size());
			int to = (limit < 0) ? this.ids.size() : (int) Math.min((long) offset + limit, this.ids.size());
			return this.ids.subList(from, Math.max(from, to)).equals(window);
		}

	}

}
