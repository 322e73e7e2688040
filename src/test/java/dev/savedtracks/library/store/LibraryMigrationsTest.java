package dev.savedtracks.library.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.savedtracks.library.StaleReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations of this layout carry an existing database over: stale reasons stored
 * under their former names are read under their slugs' names, and {@code sync_state},
 * which nothing read, is gone.
 */
class LibraryMigrationsTest {

	private final String url = "jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Test
	void storedStaleReasonsAreRenamedAndSyncStateDropped() throws SQLException {
		migrate("8");
		try (Connection connection = DriverManager.getConnection(this.url, "sa", "");
				Statement statement = connection.createStatement()) {
			for (String[] row : new String[][] { { "alice", "SPOTIFY_OWNER_PREMIUM_LAPSED" },
					{ "bob", "FULL_SYNCS_EXHAUSTED" }, { "carol", "SPOTIFY_UNAVAILABLE" } }) {
				statement.execute("insert into account (spotify_id, created_at, updated_at) values ('" + row[0]
						+ "', current_timestamp, current_timestamp)");
				statement.execute("insert into library (account_id, total, sync_state, version, stale_reason) values ('"
						+ row[0] + "', 0, 'FAILED', 1, '" + row[1] + "')");
			}
		}

		migrate("latest");

		try (Connection connection = DriverManager.getConnection(this.url, "sa", "");
				Statement statement = connection.createStatement()) {
			assertThat(staleReason(statement, "alice")).isEqualTo(StaleReason.SPOTIFY_OWNER_PREMIUM_REQUIRED);
			assertThat(staleReason(statement, "bob")).isEqualTo(StaleReason.FULL_SYNC_BUDGET_USED);
			assertThat(staleReason(statement, "carol")).isEqualTo(StaleReason.SPOTIFY_UNAVAILABLE);
			try (ResultSet columns = connection.getMetaData().getColumns(null, null, "LIBRARY", "SYNC_STATE")) {
				assertThat(columns.next()).as("sync_state is gone").isFalse();
			}
		}
	}

	@Test
	void copiesStoredBeforeTracksKeptEveryFieldAreDueForAFullRead() throws SQLException {
		migrate("11");
		try (Connection connection = DriverManager.getConnection(this.url, "sa", "");
				Statement statement = connection.createStatement()) {
			statement.execute("insert into account (spotify_id, created_at, updated_at) values ('dave', "
					+ "current_timestamp, current_timestamp)");
			statement.execute("insert into library (account_id, total, version, full_synced_at) values ('dave', 0, 1, "
					+ "current_timestamp)");
		}

		migrate("latest");

		try (Connection connection = DriverManager.getConnection(this.url, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet row = statement
					.executeQuery("select full_synced_at from library where account_id = 'dave'")) {
			row.next();
			assertThat(row.getTimestamp(1)).isNull();
		}
	}

	private void migrate(String target) {
		Flyway.configure()
			.dataSource(this.url, "sa", "")
			.locations("classpath:db/migration/common", "classpath:db/migration/h2")
			.target(target)
			.load()
			.migrate();
	}

	private static StaleReason staleReason(Statement statement, String accountId) throws SQLException {
		try (ResultSet row = statement
			.executeQuery("select stale_reason from library where account_id = '" + accountId + "'")) {
			row.next();
			return StaleReason.valueOf(row.getString(1));
		}
	}

}
