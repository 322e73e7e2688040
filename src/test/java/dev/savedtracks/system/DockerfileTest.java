package dev.savedtracks.system;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * src/main/docker/Dockerfile against the application: what the image promises (a user of
 * its own, a declared data volume the application writes to, a health check without shell
 * tools that names a class the jar has) is what the application does. The image itself is
 * built and run by the containers profile.
 */
class DockerfileTest {

	private final String dockerfile = read();

	@Test
	void runsAsAUserOfItsOwnWithItsDataInADeclaredVolume() {
		assertThat(this.dockerfile).containsPattern("(?m)^USER app$")
			.containsPattern("(?m)^ENV DATA_DIR=/data$")
			.containsPattern("(?m)^VOLUME /data$")
			.contains("chown app:app /data");
	}

	@Test
	void healthCheckRunsAClassOfTheApplicationWithoutAShell() throws Exception {
		Matcher check = Pattern.compile("CMD \\[\"java\", .*\"(dev\\.savedtracks\\.[A-Za-z.]+)\"\\]")
			.matcher(this.dockerfile);

		assertThat(check.find()).as("HEALTHCHECK CMD in exec form").isTrue();
		Method main = Class.forName(check.group(1)).getMethod("main", String[].class);
		assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
		assertThat(check.group()).doesNotContain("/bin/").doesNotContain("\"sh\"").doesNotContain("curl");
	}

	@Test
	void sizesTheHeapFromTheContainerLimitOnAnyBaseImage() {
		assertThat(this.dockerfile).contains("ARG BASE_IMAGE=eclipse-temurin:17-jre")
			.contains("-XX:MaxRAMPercentage=")
			.contains("extract --layers");
	}

	private static String read() {
		try {
			return Files.readString(Path.of("src/main/docker/Dockerfile"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
