package dev.savedtracks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the PostgreSQL tests get their database. With {@code TEST_POSTGRES_URL} each test
 * run creates its own database on that server and drops it at exit, so two runs never
 * collide; otherwise, where a container engine answers (Docker, or podman's
 * Docker-compatible socket named by {@code DOCKER_HOST}), Testcontainers starts one
 * PostgreSQL per test JVM, of the image {@code TEST_POSTGRES_IMAGE} (default
 * {@value #DEFAULT_IMAGE}; a local stand-in is accepted as a substitute for it). With
 * neither, the tests are skipped locally but fail under {@code CI=true}: a PostgreSQL
 * test that silently skips in CI proves nothing. Which one ran is logged and recorded as
 * the system property {@value #SOURCE_PROPERTY}, which surefire's reports keep (CI checks
 * it).
 */
public final class PostgresDatabase {

	public static final String ENVIRONMENT_VARIABLE = "TEST_POSTGRES_URL";

	/**
	 * The image Testcontainers starts unless {@code TEST_POSTGRES_IMAGE} names another.
	 */
	public static final String DEFAULT_IMAGE = "postgres:17-alpine";

	/**
	 * {@code testcontainers <image>} or {@code TEST_POSTGRES_URL}, once a test used it.
	 */
	public static final String SOURCE_PROPERTY = "savedtracks.test.postgres";

	private static String url;

	private static PostgreSQLContainer container;

	private PostgresDatabase() {
	}

	/**
	 * Whether the tests of this JVM run against a server named by
	 * {@value #ENVIRONMENT_VARIABLE}.
	 */
	public static boolean fromEnvironment() {
		String value = System.getenv(ENVIRONMENT_VARIABLE);
		return value != null && !value.isBlank();
	}

	/** Skips (locally) or fails (in CI) when there is no PostgreSQL to test against. */
	public static void requireAvailable() {
		if (fromEnvironment() || dockerAvailable()) {
			return;
		}
		String reason = "No PostgreSQL for the PostgreSQL tests: set " + ENVIRONMENT_VARIABLE
				+ " (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres) or run a container engine"
				+ " (Docker, or podman's socket in DOCKER_HOST)";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(reason);
		}
		Assumptions.abort(reason);
	}

	/**
	 * A database of its own for this JVM on the server named by
	 * {@value #ENVIRONMENT_VARIABLE}.
	 */
	public static synchronized String jdbcUrl() {
		if (url == null && !fromEnvironment()) {
			url = container().getJdbcUrl();
		}
		if (url == null) {
			String admin = System.getenv(ENVIRONMENT_VARIABLE);
			String name = "savedtracks_test_"
					+ UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
			execute(admin, "create database " + name);
			url = withDatabase(admin, name);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(admin, name)));
			record(ENVIRONMENT_VARIABLE);
		}
		return url;
	}

	/**
	 * This JVM's PostgreSQL container, started on first use and stopped at exit (by this
	 * JVM: Ryuk, Testcontainers' reaper, cannot be pulled everywhere).
	 */
	private static synchronized PostgreSQLContainer container() {
		if (container == null) {
			String image = System.getenv().getOrDefault("TEST_POSTGRES_IMAGE", DEFAULT_IMAGE);
			PostgreSQLContainer started = new PostgreSQLContainer(
					DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
			started.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
			container = started;
			record("testcontainers " + image);
		}
		return container;
	}

	private static void record(String source) {
		System.setProperty(SOURCE_PROPERTY, source);
		System.out.println("PostgreSQL tests run against " + source);
	}

	private static void drop(String admin, String name) {
		try {
			execute(admin, "drop database if exists " + name + " with (force)");
		}
		catch (IllegalStateException ex) {
			System.err.println("Could not drop test database " + name + ": " + ex.getMessage());
		}
	}

	/**
	 * The admin URL with its database replaced by {@code name}, keeping host, port and
	 * parameters.
	 */
	public static String withDatabase(String adminUrl, String name) {
		int query = adminUrl.indexOf('?');
		String base = (query < 0) ? adminUrl : adminUrl.substring(0, query);
		String params = (query < 0) ? "" : adminUrl.substring(query);
		int slash = base.lastIndexOf('/');
		return base.substring(0, slash + 1) + name + params;
	}

	/** The user for {@link #jdbcUrl()} unless the URL names one. */
	public static String username() {
		if (!fromEnvironment()) {
			return container().getUsername();
		}
		return System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres");
	}

	public static String password() {
		if (!fromEnvironment()) {
			return container().getPassword();
		}
		return System.getenv().getOrDefault("TEST_POSTGRES_PASSWORD", "");
	}

	private static void execute(String jdbcUrl, String sql) {
		Properties properties = new Properties();
		if (!jdbcUrl.contains("user=")) {
			properties.setProperty("user", username());
		}
		if (!password().isEmpty()) {
			properties.setProperty("password", password());
		}
		try (Connection connection = DriverManager.getConnection(jdbcUrl, properties);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + " failed on " + jdbcUrl + ": " + ex.getMessage(), ex);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

}
