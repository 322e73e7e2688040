package dev.savedtracks.spotify.budget;

import java.util.NavigableMap;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link WindowSlots rolling window's slots} that every replica shares, in
 * PostgreSQL's {@code spotify_request_slots}: each grant is one short transaction that
 * locks the {@code spotify_request_budget} row (so replicas grant one after the other),
 * reads the slots of the last window, and counts the grant in the current slot. Slots are
 * numbered by the database's clock, so the replicas' clocks need not agree.
 */
final class DatabaseWindow {

	private static final String NAME = "spotify";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	DatabaseWindow(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/**
	 * Grants a permit if {@code limit} allows, for every replica.
	 * @return 0 when granted, else milliseconds to wait
	 */
	long tryTake(long slotMillis, int limit) {
		Long wait = this.transactions.execute(status -> {
			this.jdbc.sql("select name from spotify_request_budget where name = ? for update")
				.param(NAME)
				.query()
				.listOfRows();
			long now = this.jdbc.sql("select floor(extract(epoch from clock_timestamp()) * 1000)::bigint")
				.query(Long.class)
				.single();
			long current = now / slotMillis;
			NavigableMap<Long, Integer> granted = new TreeMap<>();
			this.jdbc.sql("select slot, granted from spotify_request_slots where name = ? and slot >= ?")
				.params(NAME, current - WindowSlots.span(slotMillis))
				.query((rs, i) -> granted.put(rs.getLong(1), rs.getInt(2)))
				.list();
			long millis = WindowSlots.waitMillis(granted, now, slotMillis, limit);
			if (millis == 0) {
				this.jdbc
					.sql("insert into spotify_request_slots (name, slot, granted) values (?, ?, 1) "
							+ "on conflict (name, slot) do update set granted = spotify_request_slots.granted + 1")
					.params(NAME, current)
					.update();
				this.jdbc.sql("delete from spotify_request_slots where name = ? and slot < ?")
					.params(NAME, current - WindowSlots.span(slotMillis))
					.update();
			}
			return millis;
		});
		return (wait != null) ? wait : 0;
	}

	/** Forgets every grant: for tests. */
	void clear() {
		this.jdbc.sql("delete from spotify_request_slots where name = ?").param(NAME).update();
	}

}
