package dev.savedtracks.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.savedtracks.library.SavedTracksResponse.CachedTrack;

/** Reads the cached library: its metadata, a window of it, or a stream of it, each from one consistent snapshot. */
@Component
class LibraryReader {

	/**
	 * Everything a request needs to decide how to answer, in one indexed query: whether Spotify needs the person to
	 * sign in again (no account row means the same), and the head of the cached library, if any. Plain JDBC because
	 * it runs on every call; it reads the account table, which the account feature owns, rather than adding a second
	 * query through its directory.
	 */
	private static final String SNAPSHOT = "select a.reauth_required, l.total, l.synced_at, l.version, l.sync_state, "
			+ "l.checked_at, l.generation from account a left join library l on l.account_id = a.spotify_id "
			+ "where a.spotify_id = ?";

	private final LibraryTrackStore tracks;

	private final JdbcClient jdbc;

	private final TransactionTemplate snapshot;

	LibraryReader(LibraryTrackStore tracks, JdbcClient jdbc, PlatformTransactionManager transactions) {
		this.tracks = tracks;
		this.jdbc = jdbc;
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setReadOnly(true);
		// Repeatable read: a sync committing between two queries must not pair the old total with new rows.
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	/**
	 * The head of the cached library (null when nothing is cached) and whether Spotify needs this person to sign in
	 * again, read together by one statement.
	 */
	Snapshot snapshot(String accountId) {
		return this.jdbc.sql(SNAPSHOT).param(accountId).query((rs, i) -> {
			String syncState = rs.getString(5);
			Head head = (syncState != null) ? new Head(rs.getInt(2), instant(rs.getObject(3, OffsetDateTime.class)),
					rs.getLong(4), LibraryState.SyncState.valueOf(syncState),
					instant(rs.getObject(6, OffsetDateTime.class)), rs.getLong(7)) : null;
			return new Snapshot(head, rs.getBoolean(1));
		}).optional().orElse(new Snapshot(null, true));
	}

	Optional<Head> head(String accountId) {
		return Optional.ofNullable(snapshot(accountId).head());
	}

	/** A window of the library and the head it belongs to, from one snapshot. */
	Window read(String accountId, LibraryWindow window) {
		Window read = this.snapshot.execute(status -> {
			Head head = head(accountId)
				.orElseThrow(() -> new IllegalStateException("no cached library for " + accountId));
			int limit = window.sizeIn(head.total());
			List<CachedTrack> items = (limit > 0) ? this.tracks.window(accountId, head.generation(), window.offset(), limit)
				.stream()
				.map(CachedTrack::new)
				.toList() : List.of();
			return new Window(head, new SavedTracksResponse(head.total(), window.offset(), head.syncedAt(), items));
		});
		return Objects.requireNonNull(read);
	}

	/**
	 * Hands each track's cached JSON of the window to a sink, one row at a time, never the whole library. The sink
	 * is obtained from {@code opening} inside the same snapshot, with the head the rows belong to.
	 * @throws IllegalStateException when nothing is cached (any more)
	 */
	void stream(String accountId, LibraryWindow window, StreamOpening opening) {
		this.snapshot.executeWithoutResult(status -> {
			Head head = head(accountId)
				.orElseThrow(() -> new IllegalStateException("no cached library for " + accountId));
			try {
				TrackSink sink = opening.open(head);
				int limit = window.sizeIn(head.total());
				if (limit > 0) {
					this.tracks.stream(accountId, head.generation(), window.offset(), limit, json -> {
						try {
							sink.accept(json);
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
					});
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	/** What identifies a version of a cached library (for ETag and Last-Modified), and where its rows are. */
	record Head(int total, @Nullable Instant syncedAt, long version, LibraryState.SyncState state,
			@Nullable Instant checkedAt, long generation) {
	}

	/** The head of the cached library (null when nothing is cached) and the person's sign-in state. */
	record Snapshot(@Nullable Head head, boolean reauthorizationRequired) {
	}

	/** A window of the library and the version it was read from. */
	record Window(Head head, SavedTracksResponse body) {
	}

	/** Starts a streamed answer once the head it describes is known, and says where its tracks go. */
	@FunctionalInterface
	interface StreamOpening {

		TrackSink open(Head head) throws IOException;

	}

	/** Receives cached track JSON, one track at a time. */
	@FunctionalInterface
	interface TrackSink {

		void accept(String json) throws IOException;

	}

}
