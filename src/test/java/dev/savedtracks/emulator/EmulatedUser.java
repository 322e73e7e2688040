package dev.savedtracks.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A Spotify user of the emulator: profile, saved-tracks library in Spotify order, and the
 * state of their grant.
 */
public final class EmulatedUser {

	private final String id;

	private final Object lock = new Object();

	private volatile @Nullable String displayName;

	/**
	 * Most recently saved first; replaced, never mutated, so that readers can take a
	 * consistent snapshot lock-free.
	 */
	private volatile List<SavedTrack> library = List.of();

	/**
	 * Number of the last generated track, so new saves get fresh deterministic tracks;
	 * guarded by {@link #lock}.
	 */
	private int lastNumber;

	/**
	 * Bumped by {@link #revoke()}: tokens remember the epoch they were issued in and die
	 * with it.
	 */
	private final AtomicInteger grantEpoch = new AtomicInteger();

	/**
	 * Spotify's exact plain-text answer to a user missing from a development-mode app's
	 * user list, in its most common wording.
	 */
	static final String NOT_REGISTERED = "Check settings on developer.spotify.com/dashboard, the user may not be "
			+ "registered.";

	private volatile @Nullable String deniedWith;

	private volatile boolean driftTotalPastUnavailable;

	private volatile int driftTotalBy;

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

	/**
	 * Replaces the library with {@code n} deterministic tracks seeded by the user id,
	 * most recent first.
	 */
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

	/**
	 * Saves {@code n} new generated tracks at the top, the last one saved first, with ids
	 * not yet in the library.
	 */
	public EmulatedUser saveNewTracks(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative");
		}
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			List<SavedTrack> added = new ArrayList<>(n);
			for (SavedTrack track : newTracks(tracks, n)) {
				Instant top = added.isEmpty() ? topAddedAt(tracks) : added.get(added.size() - 1).addedAt();
				added.add(track.withAddedAt(laterThan(top, Instant.now())));
			}
			for (SavedTrack track : added) {
				tracks.add(0, track);
			}
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Saves {@code n} new generated tracks at the top, all with the same added_at, as a
	 * bulk import does; like {@link #saveTrack} it moves {@code addedAt} one second after
	 * the current top if it is not later. Spotify does not document the order of ties, so
	 * the group is ordered by a hash of the ids: clients cannot predict it, but it is the
	 * same on every request.
	 */
	public EmulatedUser bulkImport(int n, Instant addedAt) {
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative");
		}
		Objects.requireNonNull(addedAt, "addedAt");
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			Instant tied = laterThan(topAddedAt(tracks), addedAt);
			List<SavedTrack> group = new ArrayList<>(n);
			for (SavedTrack track : newTracks(tracks, n)) {
				group.add(track.withAddedAt(tied));
			}
			group.sort(Comparator.comparingLong((SavedTrack track) -> Ids.seed("tie:" + track.id())));
			tracks.addAll(0, group);
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Lists every run of tracks saved in the same second in another order (chosen by
	 * {@code seed}), as Spotify may: the order of ties is not documented, and clients
	 * must not take a new order for a change of the library.
	 */
	public EmulatedUser reorderTies(long seed) {
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			int start = 0;
			while (start < tracks.size()) {
				Instant addedAt = tracks.get(start).addedAt();
				int end = start + 1;
				while (end < tracks.size() && Objects.equals(tracks.get(end).addedAt(), addedAt)) {
					end++;
				}
				if (end - start > 1) {
					tracks.subList(start, end)
						.sort(Comparator.comparingLong(
								(SavedTrack track) -> Ids.seed("tie:" + seed + ":" + track.id() + ":" + track.name())));
				}
				start = end;
			}
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Saves the track at the top; an already saved track with the same id moves to the
	 * top, as re-saving does. Its added_at is kept when later than the current top's,
	 * else moved one second after it, so that added_at stays strictly decreasing down the
	 * library.
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

	/**
	 * Saves the track with a past (or any) added_at, as the save endpoint's
	 * {@code timestamped_ids} allows: it goes where its added_at puts it, after every
	 * track saved later and before tracks saved at the same time or earlier, not at the
	 * top. An already saved track with the same id moves there.
	 */
	public EmulatedUser saveTrackWithTimestamp(SavedTrack track, Instant addedAt) {
		Objects.requireNonNull(track, "track");
		SavedTrack timestamped = track.withAddedAt(addedAt);
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			if (track.id() != null && !track.local()) {
				tracks.removeIf((saved) -> !saved.local() && track.id().equals(saved.id()));
			}
			int position = 0;
			while (position < tracks.size() && tracks.get(position).addedAt().isAfter(timestamped.addedAt())) {
				position++;
			}
			tracks.add(position, timestamped);
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Removes the track at {@code index} (0 = most recently saved); everything after it
	 * shifts up.
	 */
	public EmulatedUser removeTrackAt(int index) {
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			Objects.checkIndex(index, tracks.size());
			tracks.remove(index);
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Makes the tracks at these positions unavailable in the user's market: still counted
	 * in {@code total} and holding their positions, but left out of the pages' items.
	 */
	public EmulatedUser makeUnavailable(int... positions) {
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			for (int position : positions) {
				Objects.checkIndex(position, tracks.size());
				tracks.set(position, tracks.get(position).withUnavailable(true));
			}
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Makes every {@code n}th track from the top unavailable: positions n-1, 2n-1, 3n-1
	 * and so on.
	 */
	public EmulatedUser makeEveryNthUnavailable(int n) {
		if (n < 1) {
			throw new IllegalArgumentException("n must be positive");
		}
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			for (int position = n - 1; position < tracks.size(); position += n) {
				tracks.set(position, tracks.get(position).withUnavailable(true));
			}
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Inserts an item whose track is null (removed content) at {@code position}
	 * (0..size); it shares the added_at of the track it pushes down (or of the last track
	 * when appended), so added_at never increases down the library.
	 */
	public EmulatedUser insertNullTrackAt(int position) {
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			Objects.checkIndex(position, tracks.size() + 1);
			Instant addedAt;
			if (position < tracks.size()) {
				addedAt = tracks.get(position).addedAt();
			}
			else {
				addedAt = tracks.isEmpty() ? Instant.now() : tracks.get(tracks.size() - 1).addedAt();
			}
			tracks.add(position, SavedTrack.nullTrack(addedAt));
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Inserts a copy of the track at {@code position} right after it: the same id and
	 * added_at twice in a row.
	 */
	public EmulatedUser duplicateAt(int position) {
		synchronized (this.lock) {
			List<SavedTrack> tracks = new ArrayList<>(this.library);
			Objects.checkIndex(position, tracks.size());
			tracks.add(position + 1, tracks.get(position));
			this.library = List.copyOf(tracks);
		}
		return this;
	}

	/**
	 * Spotify bug (spotify/web-api#1327): every page reports {@code total} minus the
	 * unavailable tracks at positions before its offset, so total drops as paging passes
	 * them; items and positions are unchanged.
	 */
	public EmulatedUser driftTotalPastUnavailable(boolean drift) {
		this.driftTotalPastUnavailable = drift;
		return this;
	}

	/**
	 * Spotify bug (spotify/web-api#1327): pages with {@code offset > 0} report
	 * {@code total - delta} (never below 0) although nothing changed; items and positions
	 * are unchanged. 0 turns it off.
	 */
	public EmulatedUser driftTotalBy(int delta) {
		this.driftTotalBy = delta;
		return this;
	}

	/** Removes every saved track. */
	public EmulatedUser clearLibrary() {
		synchronized (this.lock) {
			this.library = List.of();
		}
		return this;
	}

	/**
	 * An immutable snapshot of the library, most recently saved first, unavailable and
	 * null-track items included.
	 */
	public List<SavedTrack> library() {
		return this.library;
	}

	/**
	 * What a correct client ends up with: the available items with a track, in Spotify
	 * order, i.e. {@link #library()} without unavailable and null-track items.
	 */
	public List<SavedTrack> visibleLibrary() {
		return this.library.stream().filter(SavedTrack::visible).toList();
	}

	/**
	 * The user revokes the app: refresh tokens answer invalid_grant and access tokens
	 * 401; signing in again works.
	 */
	public EmulatedUser revoke() {
		this.grantEpoch.incrementAndGet();
		return this;
	}

	/**
	 * Development-mode app and the user is not on its user list: the Web API answers 403
	 * while denied.
	 */
	public EmulatedUser denyAccess(boolean deny) {
		return denyAccess(deny ? NOT_REGISTERED : null);
	}

	/**
	 * As {@link #denyAccess(boolean)}, with the plain-text body {@code wording}:
	 * Spotify's varies ("the user may not be registered", "User not registered in the
	 * Developer Dashboard", "User not approved for app"); {@code null} lets the user in
	 * again.
	 */
	public EmulatedUser denyAccess(@Nullable String wording) {
		this.deniedWith = wording;
		return this;
	}

	boolean denied() {
		return this.deniedWith != null;
	}

	/** The plain-text body of the 403 while denied. */
	String deniedWith() {
		String wording = this.deniedWith;
		return (wording != null) ? wording : NOT_REGISTERED;
	}

	int grantEpoch() {
		return this.grantEpoch.get();
	}

	/**
	 * The {@code total} a page at {@code offset} of this library snapshot reports, drift
	 * included.
	 */
	long reportedTotal(List<SavedTrack> library, int offset) {
		long total = library.size();
		if (this.driftTotalPastUnavailable) {
			int end = Math.min(offset, library.size());
			for (int position = 0; position < end; position++) {
				if (library.get(position).unavailable()) {
					total--;
				}
			}
		}
		if (offset > 0) {
			total -= this.driftTotalBy;
		}
		return Math.max(0, total);
	}

	/**
	 * {@code n} new generated tracks whose ids are not in {@code tracks}; the caller
	 * holds {@link #lock}.
	 */
	private List<SavedTrack> newTracks(List<SavedTrack> tracks, int n) {
		Set<String> ids = new HashSet<>();
		for (SavedTrack track : tracks) {
			if (track.id() != null) {
				ids.add(track.id());
			}
		}
		List<SavedTrack> fresh = new ArrayList<>(n);
		while (fresh.size() < n) {
			SavedTrack track = TrackGenerator.track(this.id, ++this.lastNumber);
			if (ids.add(Objects.requireNonNull(track.id()))) {
				fresh.add(track);
			}
		}
		return fresh;
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
