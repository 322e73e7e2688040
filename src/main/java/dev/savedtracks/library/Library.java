package dev.savedtracks.library;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A person's saved-tracks library, for the other modules: the library module's one public
 * door. Reads are exactly what {@code GET /api/saved-tracks} serves, from the same cache,
 * revalidated or synced first under the same rules, so a warm read costs Spotify nothing.
 * A read that cannot be served throws the problem the HTTP API answers with (a
 * {@link dev.savedtracks.system.ProblemException}: its slug, sentence and
 * {@code Retry-After}); {@link dev.savedtracks.account.ReauthorizationRequired} when
 * Spotify needs the person to sign in again.
 */
public interface Library {

	/**
	 * A window of the library, most recently saved first.
	 * @param offset the first track (0 is the most recently saved)
	 * @param limit how many tracks at most
	 */
	Tracks window(String accountId, int offset, int limit);

	/**
	 * Hands every track of the library to {@code visitor}, most recently saved first, all
	 * from one copy, without holding the whole library in memory.
	 * @return the copy the tracks belong to
	 */
	Copy each(String accountId, Consumer<Track> visitor);

	/**
	 * Hands every track of the library to {@code visitor} as
	 * {@link #each(String, Consumer)} does, each with what {@code derived} computes from
	 * it. Where the copy's parsed tracks are kept in memory
	 * ({@code LIBRARY_PARSED_TRACKS}), the values are kept with them, computed once per
	 * copy version and dropped with the tracks, so that calls on an unchanged library do
	 * not compute them again; otherwise they are computed on each call, as this default
	 * does.
	 * @param derived compared by identity: one instance (a constant) per kind of value
	 * @return the copy the tracks belong to
	 */
	default <T> Copy each(String accountId, Derived<T> derived, BiConsumer<Track, T> visitor) {
		return each(accountId, track -> visitor.accept(track, derived.from(track)));
	}

	/**
	 * Writes the whole library to {@code out} as the same CSV as
	 * {@code GET /api/saved-tracks} with {@code Accept: text/csv}, from one copy.
	 * @return the copy written
	 */
	Copy csv(String accountId, OutputStream out) throws IOException;

	/**
	 * A short-lived link that downloads the person's whole library in {@code format}
	 * ({@code csv}, {@code ndjson} or {@code json}) without a credential, through the
	 * same download budgets as {@code GET /api/saved-tracks}.
	 */
	DownloadLink downloadLink(String accountId, String format);

	/**
	 * How the person's cached library stands, read without asking Spotify or waiting for
	 * a sync.
	 * @return empty when nothing is cached yet
	 */
	Optional<Status> status(String accountId);

	/**
	 * How far the person's running sync has got, on whichever replica it runs.
	 * @return empty when no sync runs
	 */
	Optional<Progress> syncProgress(String accountId);

	/**
	 * The copy a read was served from: {@code total} tracks, Spotify's own count (which
	 * also counts tracks it does not list), when it was last synced, why it could not be
	 * confirmed with Spotify just now ({@code null}: fresh), and its {@code version}: an
	 * opaque text that every change of the copy's content changes, on any replica, so
	 * that two reads with the same version read the same tracks.
	 */
	record Copy(int total, int spotifyTotal, @Nullable Instant syncedAt, @Nullable StaleReason stale, String version) {

		/** A copy whose version nobody compares. */
		public Copy(int total, int spotifyTotal, @Nullable Instant syncedAt, @Nullable StaleReason stale) {
			this(total, spotifyTotal, syncedAt, stale, "");
		}

	}

	/**
	 * A value computed from a track alone, such as its text folded for searching, that
	 * {@link #each(String, Derived, BiConsumer)} may keep with the copy's tracks: it must
	 * depend on nothing but the track.
	 */
	@FunctionalInterface
	interface Derived<T> {

		T from(Track track);

	}

	/**
	 * A download link: its {@code path} (from the service's root), the format it
	 * downloads, and when it stops working.
	 */
	record DownloadLink(String path, String format, Instant expiresAt) {
	}

	/** The tracks of a window, {@code offset} being the first one's place. */
	record Tracks(Copy copy, int offset, List<Track> items) {
	}

	/**
	 * A cached library at a glance: its size, what Spotify counts but it does not hold,
	 * when it was last stored complete and last confirmed with Spotify, the state of its
	 * latest sync, and why the last one failed ({@code null}: it did not).
	 */
	record Status(int total, int spotifyTotal, int unlisted, int removed, int duplicates, @Nullable Instant syncedAt,
			@Nullable Instant checkedAt, SyncState syncState, @Nullable StaleReason staleReason) {
	}

	/** The state of a library's latest sync, as {@code /api/me} names it. */
	enum SyncState {

		/** Nothing cached yet ({@link Library#status} is empty). */
		NEVER_SYNCED,

		/** The last sync brought the copy up to date. */
		COMPLETE,

		/** The last sync failed; the previous copy is served. */
		FAILED,

		/** A sync is running on this replica. */
		SYNCING

	}

	/**
	 * A running sync's progress: pages fetched of the pages it needs ({@code pagesTotal}
	 * is 0 until the first page has told the library's size).
	 */
	record Progress(int pagesFetched, int pagesTotal) {
	}

}
