package dev.savedtracks;

import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Base of the end-to-end tests that run against PostgreSQL instead of H2: a database of this run's own on the
 * server named by {@code TEST_POSTGRES_URL}, or a Testcontainers PostgreSQL with {@code @ServiceConnection} where
 * Docker runs. Either way the application sees a {@link JdbcConnectionDetails} bean, which outranks the H2 URL.
 */
@Import(PostgresTest.PostgresConnection.class)
public abstract class PostgresTest extends EmulatedSpotifyTest {

	@BeforeAll
	static void postgresAvailable() {
		PostgresDatabase.requireAvailable();
	}

	/** Chooses the PostgreSQL of this run. */
	@TestConfiguration(proxyBeanMethods = false)
	static class PostgresConnection {

		@Bean
		@ServiceConnection
		@Conditional(DockerWithoutServer.class)
		PostgreSQLContainer postgresContainer() {
			return new PostgreSQLContainer("postgres:17-alpine");
		}

		@Bean
		@Conditional(ServerFromEnvironment.class)
		JdbcConnectionDetails postgresFromEnvironment() {
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

	static class ServerFromEnvironment implements org.springframework.context.annotation.Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return PostgresDatabase.fromEnvironment();
		}

	}

	static class DockerWithoutServer implements org.springframework.context.annotation.Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return PostgresDatabase.fromDocker();
		}

	}

}
