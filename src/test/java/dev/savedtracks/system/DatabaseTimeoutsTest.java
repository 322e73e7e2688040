package dev.savedtracks.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every connection starts with the database's own statement and lock-wait limits, on
 * PostgreSQL and on H2 alike.
 */
class DatabaseTimeoutsTest {

	@Test
	void postgresConnectionsGetAStatementAndALockTimeout() {
		String sql = DatabaseTimeouts.initSql("jdbc:postgresql://db:5432/savedtracks",
				new DatabaseTimeouts.Settings(Duration.ofSeconds(60), Duration.ofSeconds(10)));

		assertThat(sql).isEqualTo("SET statement_timeout = 60000; SET lock_timeout = 10000");
	}

	@Test
	void aStatementRunningLongerThanTheLimitIsCancelledOnH2() throws SQLException {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl("jdbc:h2:mem:timeouts-" + UUID.randomUUID());
			DatabaseTimeouts
				.databaseTimeoutsOnEveryConnection(
						new org.springframework.beans.factory.support.StaticListableBeanFactory(
								java.util.Map.of("settings",
										new DatabaseTimeouts.Settings(Duration.ofMillis(500), Duration.ofSeconds(2))))
							.getBeanProvider(DatabaseTimeouts.Settings.class))
				.postProcessAfterInitialization(pool, "dataSource");

			try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
				try (ResultSet lock = statement.executeQuery("select LOCK_TIMEOUT()")) {
					lock.next();
					assertThat(lock.getInt(1)).isEqualTo(2000);
				}
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> statement
						.executeQuery("select count(*) from system_range(1, 100000) a, system_range(1, 100000) b"))
					.withMessageContaining("cancel");
			}
		}
	}

}
