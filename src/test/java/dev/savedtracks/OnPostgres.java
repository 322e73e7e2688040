package dev.savedtracks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Runs an end-to-end test ({@link EmulatedSpotifyTest}) against PostgreSQL instead of H2:
 * a database of this run's own on the server named by {@code TEST_POSTGRES_URL}, or this
 * test JVM's Testcontainers PostgreSQL where a container engine runs
 * ({@link PostgresDatabase}). Either way the application sees a
 * {@link JdbcConnectionDetails} bean, which outranks the H2 URL. Without either the test
 * is skipped locally and fails under {@code CI=true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(OnPostgres.PostgresConnection.class)
@ExtendWith(OnPostgres.Available.class)
public @interface OnPostgres {

	/**
	 * Skips (locally) or fails (in CI) before the application starts, when there is no
	 * PostgreSQL.
	 */
	class Available implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext context) {
			PostgresDatabase.requireAvailable();
		}

	}

	/** Chooses the PostgreSQL of this run. */
	@TestConfiguration(proxyBeanMethods = false)
	class PostgresConnection {

		@Bean
		JdbcConnectionDetails postgres() {
			String url = PostgresDatabase.jdbcUrl();
			return new JdbcConnectionDetails() {

				@Override
				public String getUsername() {
					return PostgresDatabase.username();
				}

				@Override
				public String getPassword() {
					return PostgresDatabase.password();
				}

				@Override
				public String getJdbcUrl() {
					return url;
				}

			};
		}

	}

}
