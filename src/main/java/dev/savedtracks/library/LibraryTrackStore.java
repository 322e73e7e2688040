package dev.savedtracks.library;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The cached tracks, read and written with plain JDBC: a library is thousands of rows written in batches and read
 * in windows, which JPA entities would only slow down. {@code seq} grows with newer saves, so Spotify's order is
 * {@code seq desc} and tracks saved later are added on top without touching the rest. Queries order by
 * {@code account_id desc, seq desc}: the same order for one account, but it lets H2 walk the primary key instead of
 * sorting every row of the library for each window.
 */
@Repository
class LibraryTrackStore {

	private static final int BATCH = 500;

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	LibraryTrackStore(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	/** The first {@code count} cached tracks in Spotify's order, without their JSON. */
	List<StoredTrack> top(String accountId, int count) {
		return this.jdbc
			.sql("select track_key, added_at from library_track where account_id = ? order by account_id desc, seq desc "
					+ "offset 0 rows fetch next ? rows only")
			.params(accountId, count)
			.query((rs, i) -> new StoredTrack(rs.getString(1), rs.getString(2), ""))
			.list();
	}

	/** The JSON of the tracks in a window of the library, in Spotify's order. */
	List<String> window(String accountId, int offset, int limit) {
		return this.jdbc
			.sql("select item_json from library_track where account_id = ? order by account_id desc, seq desc "
					+ "offset ? rows fetch next ? rows only")
			.params(accountId, offset, limit)
			.query((rs, i) -> rs.getString(1))
			.list();
	}

	/** Like {@link #window} but row by row, so a large library is never held in memory at once. */
	void stream(String accountId, int offset, int limit, Consumer<String> sink) {
		this.template.query(connection -> {
			PreparedStatement statement = connection.prepareStatement("select item_json from library_track "
					+ "where account_id = ? order by account_id desc, seq desc offset ? rows fetch next ? rows only");
			statement.setString(1, accountId);
			statement.setInt(2, offset);
			statement.setInt(3, limit);
			statement.setFetchSize(500);
			return statement;
		}, (RowCallbackHandler) rs -> sink.accept(rs.getString(1)));
	}

	boolean containsAny(String accountId, Collection<String> keys) {
		if (keys.isEmpty()) {
			return false;
		}
		String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
		List<Object> params = new ArrayList<>(keys.size() + 1);
		params.add(accountId);
		params.addAll(keys);
		Integer found = this.jdbc
			.sql("select count(*) from library_track where account_id = ? and track_key in (" + marks + ")")
			.params(params)
			.query(Integer.class)
			.single();
		return found != null && found > 0;
	}

	void deleteAll(String accountId) {
		this.jdbc.sql("delete from library_track where account_id = ?").param(accountId).update();
	}

	/** Inserts {@code tracks} (in Spotify's order) above every row with a lower {@code seq}. */
	void insertOnTop(String accountId, List<StoredTrack> tracks) {
		int top = this.jdbc.sql("select coalesce(max(seq), 0) from library_track where account_id = ?")
			.param(accountId)
			.query(Integer.class)
			.single();
		int n = tracks.size();
		for (int from = 0; from < n; from += BATCH) {
			List<Object[]> rows = new ArrayList<>(Math.min(BATCH, n - from));
			for (int i = from; i < Math.min(n, from + BATCH); i++) {
				StoredTrack track = tracks.get(i);
				rows.add(new Object[] { accountId, top + n - i, track.key(), track.addedAt(), track.json() });
			}
			this.template.batchUpdate(
					"insert into library_track (account_id, seq, track_key, added_at, item_json) values (?, ?, ?, ?, ?)",
					rows);
		}
	}

}
