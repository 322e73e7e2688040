package dev.savedtracks.mcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP module's classes stay readable: none over 300 lines, and each states its job in
 * a comment before the type.
 */
class McpSourceSizeTest {

	private static final Path SOURCES = Path.of("src/main/java/dev/savedtracks/mcp");

	@Test
	void noClassIsOver300LinesAndEachSaysWhatItIsFor() throws IOException {
		List<Path> sources;
		try (Stream<Path> files = Files.walk(SOURCES)) {
			sources = files.filter(f -> f.toString().endsWith(".java"))
				.filter(f -> !f.getFileName().toString().equals("package-info.java"))
				.toList();
		}

		assertThat(sources).isNotEmpty().allSatisfy(source -> {
			List<String> lines = Files.readAllLines(source);
			assertThat(lines).as(source + " lines").hasSizeLessThanOrEqualTo(300);
			String text = String.join("\n", lines);
			int type = text.indexOf("\nclass ") >= 0 ? text.indexOf("\nclass ") : text.indexOf("\nfinal class ");
			type = (type >= 0) ? type : text.indexOf("\nrecord ");
			type = (type >= 0) ? type : text.indexOf("\ninterface ");
			type = (type >= 0) ? type : text.indexOf("\nenum ");
			assertThat(type).as(source + " declares a package-private type").isPositive();
			assertThat(text.substring(0, type)).as(source + " comment before the type").contains("/**");
		});
	}

}
