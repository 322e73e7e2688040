package dev.savedtracks.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks, before anything opens the database, that the directory of the H2 database
 * ({@code DATA_DIR}) can be written, so that a container started without a writable
 * volume fails with one line naming the setting rather than with H2's stack trace. Not
 * used (nothing checked) when the database is not an H2 file there, as with PostgreSQL.
 */
class DataDirectoryCheck implements EnvironmentPostProcessor {

	static final String PROPERTY = "data-dir";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String directory = environment.getProperty(PROPERTY);
		String url = environment.getProperty("spring.datasource.url");
		if (directory != null && url != null && url.startsWith("jdbc:h2:file:" + directory)) {
			check(Path.of(directory));
		}
	}

	/**
	 * Creates the directory when missing and writes a file in it, as H2 will.
	 * @throws InvalidConfiguration when either fails
	 */
	static void check(Path directory) {
		try {
			Files.createDirectories(directory);
			Files.delete(Files.createTempFile(directory, ".write-check", ".tmp"));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidConfiguration(
					"DATA_DIR (" + directory.toAbsolutePath() + ") is not a directory this user ("
							+ System.getProperty("user.name") + ") can write: " + ex,
					"Set DATA_DIR to a writable directory (in a container: mount a volume there, writable by the "
							+ "service's user), or use PostgreSQL (SPRING_PROFILES_ACTIVE=postgres).");
		}
	}

}
