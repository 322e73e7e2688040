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
 * in windows, which JPA entities would only slow down. Rows belong to a generation: a full sync writes a new one
 * while the old one is still served, and {@code library.generation} says which one is current. {@code seq} grows
 * with newer saves, so Spotify's order is {@code seq desc} and tracks saved later are added on top without touching
 * the rest. Queries order by the whole primary key, descending: the same order within one generation, but it lets
 * the database walk the key instead of sorting every row of the library for each window.
 */
@Repository
class LibraryTrackStore {

	private static final String ORDER = " order by account_id desc, generation desc, seq desc ";

	private static final String INSERT = "insert into library_track (account_id, generation, seq, track_key, "
			+ "added_at, item_json) values (?, ?, ?, ?, ?, ?)";

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	LibraryTrackStore(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	/** The first {@code count} tracks of a generation in Spotify's order, without their JSON. */
	List<StoredTrack> top(String accountId, long generation, int count) {
		return this.jdbc
			.sql("select track_key, added_at from library_track where account_id = ? and generation = ?" + ORDER
					+ "offset 0 rows fetch next ? rows only")
			.params(accountId, generation, count)
			.query((rs, i) -> new StoredTrack(rs.getString(1), rs.getString(2), ""))
			.list();
	}

	/** The JSON of the tracks in a window of a generation, in Spotify's order. */
	List<String> window(String accountId, long generation, int offset, int limit) {
		return this.jdbc
			.sql("select item_json from library_track where account_id = ? and generation = ?" + ORDER
					+ "offset ? rows fetch next ? rows only")
			.params(accountId, generation, offset, limit)
			.query((rs, i) -> rs.getString(1))
			.list();
	}

	/** Like {@link #window} but row by row, so a large library is never held in memory at once. */
	void stream(String accountId, long generation, int offset, int limit, Consumer<String> sink) {
		this.template.query(connection -> {
			PreparedStatement statement = connection.prepareStatement("select item_json from library_track "
					+ "where account_id = ? and generation = ?" + ORDER + "offset ? rows fetch next ? rows only");
			statement.setString(1, accountId);
			statement.setLong(2, generation);
			statement.setInt(3, offset);
			statement.setInt(4, limit);
			statement.setFetchSize(500);
			return statement;
		}, (RowCallbackHandler) rs -> sink.accept(rs.getString(1)));
	}

	boolean containsAny(String accountId, long generation, Collection<String> keys) {
		if (keys.isEmpty()) {
			return false;
		}
		String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
		List<Object> params = new ArrayList<>(keys.size() + 2);
		params.add(accountId);
		params.add(generation);
		params.addAll(keys);
		Integer found = this.jdbc
			.sql("select count(*) from library_track where account_id = ? and generation = ? and track_key in ("
					+ marks + ")")
			.params(params)
			.query(Integer.class)
			.single();
		return found != null && found > 0;
	}

	int count(String accountId, long generation) {
		return this.jdbc.sql("select count(*) from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.query(Integer.class)
			.single();
	}

	void deleteGeneration(String accountId, long generation) {
		this.jdbc.sql("delete from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.update();
	}

	void deleteAllBut(String accountId, long generation) {
		this.jdbc.sql("delete from library_track where account_id = ? and generation <> ?")
			.params(accountId, generation)
			.update();
	}

	/** Inserts {@code tracks} (in Spotify's order) with {@code seq} counting down from {@code firstSeq}. */
	void insert(String accountId, long generation, int firstSeq, List<StoredTrack> tracks) {
		List<Object[]> rows = new ArrayList<>(tracks.size());
		for (int i = 0; i < tracks.size(); i++) {
			StoredTrack track = tracks.get(i);
			rows.add(new Object[] { accountId, generation, firstSeq - i, track.key(), track.addedAt(), track.json() });
		}
		this.template.batchUpdate(INSERT, rows);
	}

	/** Inserts {@code tracks} (in Spotify's order) above every row of the generation. */
	void insertOnTop(String accountId, long generation, List<StoredTrack> tracks) {
		int top = this.jdbc
			.sql("select coalesce(max(seq), 0) from library_track where account_id = ? and generation = ?")
			.params(accountId, generation)
			.query(Integer.class)
			.single();
		insert(accountId, generation, top + tracks.size(), tracks);
	}

}
