package dev.savedtracks.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.savedtracks.SavedTracksApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

@ExtendWith(OutputCaptureExtension.class)
class DataDirectoryCheckTest {

	@TempDir
	Path temp;

	@Test
	void createsAMissingDataDirectory() {
		Path directory = this.temp.resolve("data");

		DataDirectoryCheck.check(directory);

		assertThat(directory).isDirectory().isEmptyDirectory();
	}

	@Test
	void refusesADataDirectoryThatCannotBeWrittenNamingTheSetting() throws IOException {
		// A path under a regular file: not writable even for root, who may write anywhere
		// else.
		Path file = Files.createFile(this.temp.resolve("file"));

		assertThatExceptionOfType(InvalidConfiguration.class)
			.isThrownBy(() -> DataDirectoryCheck.check(file.resolve("data")))
			.withMessageStartingWith("DATA_DIR (" + file.resolve("data"))
			.satisfies(ex -> assertThat(ex.action()).contains("Set DATA_DIR"));
	}

	@Test
	void theServiceStopsAtStartUpWithOneLineNamingDataDir(CapturedOutput output) throws IOException {
		Path file = Files.createFile(this.temp.resolve("file"));

		assertThatExceptionOfType(InvalidConfiguration.class).isThrownBy(() -> SpringApplication
			.run(SavedTracksApplication.class, "--DATA_DIR=" + file.resolve("data"), "--server.port=0"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("DATA_DIR (" + file.resolve("data") + ") is not a directory")
			.doesNotContain("\tat ");
	}

	@Test
	void aPostgresDatabaseNeedsNoDataDirectory() throws IOException {
		Path file = Files.createFile(this.temp.resolve("file"));
		org.springframework.core.env.StandardEnvironment environment = new org.springframework.core.env.StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new org.springframework.core.env.MapPropertySource("test", java.util.Map.of("data-dir",
					file.resolve("data").toString(), "spring.datasource.url", "jdbc:postgresql://db/savedtracks")));

		assertThatNoException()
			.isThrownBy(() -> new DataDirectoryCheck().postProcessEnvironment(environment, new SpringApplication()));
	}

}
