package dev.savedtracks.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/** A Spotify user of the emulator: profile, saved-tracks library in Spotify order, and the state of their grant. */
public final class EmulatedUser {

	private final String id;

	private final Object lock = new Object();

	private volatile @Nullable String displayName;

	/** Most recently saved first; replaced, never mutated, so that readers can take a consistent snapshot lock-free. */
	private volatile List<SavedTrack> library = List.of();

	/** Number of the last generated track, so new saves get fresh deterministic tracks; guarded by {@link #lock}. */
	private int lastNumber;

	/** Bumped by {@link #revoke()}: tokens remember the epoch they were issued in and die with it. */
	private final AtomicInteger grantEpoch = new AtomicInteger();

	private volatile boolean denied;

	EmulatedUser(String id) {
		if (id.isBlank()) {
			throw new IllegalArgumentException("user id must not be blank");
		}
		this.id = id;
		this.displayName = id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
	}

	public String id() {
		return this.id;
	}

	/** Sets the display name; null is allowed because Spotify profiles may have none. */
	public EmulatedUser displayName(@Nullable String name) {
		this.displayName = name;
		return this;
	}

	public @Nullable String displayName() {
		return this.displayName;
	}

	/** Replaces the library with {@code n} deterministic tracks seeded by the user id, most recent first. */
	public EmulatedUser generateLibrary(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative");
		}
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(n);
			for (int number = n; number >= 1; number--) {
				tracks.add(TrackGenerator.track(this.id, number));
			}
			this.lastNumber = n;
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/** Saves {@code n} new generated tracks at the top, the last one saved first, with ids not yet in the library. */
	public EmulatedUser saveNewTracks(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative");
		}
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			Set<String> ids = new HashSet<>();
			for (SavedTrack track : tracks) {
				if (track.id() != null) {
					ids.add(track.id());
				}
			}
			List<SavedTrack> added = new ArrayList<>(n);
			while (added.size() < n) {
				SavedTrack track = TrackGenerator.track(this.id, ++this.lastNumber);
				if (ids.add(Objects.requireNonNull(track.id()))) {
					Instant top = added.isEmpty() ? topAddedAt(tracks) : added.get(added.size() - 1).addedAt();
					added.add(track.withAddedAt(laterThan(top, Instant.now())));
				}
			}
			for (SavedTrack track : added) {
				tracks.add(0, track);
			}
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Saves the track at the top; an already saved track with the same id moves to the top, as re-saving does. Its
	 * added_at is kept when later than the current top's, else moved one second after it, so that added_at stays
	 * strictly decreasing down the library.
	 */
	public EmulatedUser saveTrack(SavedTrack track) {
		Objects.requireNonNull(track, "track");
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			if (track.id() != null && !track.local()) {
				tracks.removeIf((saved) -> !saved.local() && track.id().equals(saved.id()));
			}
			tracks.add(0, track.withAddedAt(laterThan(topAddedAt(tracks), track.addedAt())));
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/** Removes the track at {@code index} (0 = most recently saved); everything after it shifts up. */
	public EmulatedUser removeTrackAt(int index) {
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			Objects.checkIndex(index, tracks.size());
			tracks.remove(index);
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/** Removes every saved track. */
	public EmulatedUser clearLibrary() {
		synchronized (this.lock) {
			this.library = List.of();
		}
		return this;
	}

	/** An immutable snapshot of the library, most recently saved first. */
	public List<SavedTrack> library() {
		return this.library;
	}

	/** The user revokes the app: refresh tokens answer invalid_grant and access tokens 401; signing in again works. */
	public EmulatedUser revoke() {
		this.grantEpoch.incrementAndGet();
		return this;
	}

	/** Development-mode app and the user is not on its user list: the Web API answers 403 while denied. */
	public EmulatedUser denyAccess(boolean deny) {
		this.denied = deny;
		return this;
	}

	boolean denied() {
		return this.denied;
	}

	int grantEpoch() {
		return this.grantEpoch.get();
	}

	private static @Nullable Instant topAddedAt(List<SavedTrack> tracks) {
		return tracks.isEmpty() ? null : tracks.get(0).addedAt();
	}

	/** {@code wanted} if it is after {@code top}, else one second after {@code top}. */
	private static Instant laterThan(@Nullable Instant top, Instant wanted) {
		Instant seconds = wanted.truncatedTo(ChronoUnit.SECONDS);
		if (top == null || seconds.isAfter(top)) {
			return seconds;
		}
		return top.plusSeconds(1);
	}

	@Override
	public String toString() {
		return "EmulatedUser[" + this.id + ", " + this.library.size() + " tracks]";
	}

}
