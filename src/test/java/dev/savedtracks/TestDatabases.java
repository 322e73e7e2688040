package dev.savedtracks;

import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Databases for tests below the application: an in-memory H2 with the schema the
 * migrations build.
 */
public final class TestDatabases {

	private TestDatabases() {
	}

	/** A new, empty H2 database of its own, migrated as the application migrates H2. */
	public static DataSource migratedH2() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration/common", "classpath:db/migration/h2")
			.load()
			.migrate();
		return dataSource;
	}

}
