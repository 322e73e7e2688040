package dev.savedtracks.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark working: every scenario in a tiny configuration, with no timing
 * assertion (the machines that run the tests are noisy; the targets are judged by the
 * full run, {@code ./mvnw -Pbenchmark verify}). Run by {@code ./mvnw -Pcontainers verify}
 * (CI's second stage), not by {@code ./mvnw verify}.
 */
class BenchmarkSmokeIT {

	@Test
	void everyScenarioRunsAndIsReported() throws Exception {
		Path output = Path.of("target", "benchmark-smoke.md");
		BenchmarkRunner.Settings tiny = new BenchmarkRunner.Settings(260, 2, 4, 3, 1, 0, 2, 600, "256m", output);

		new BenchmarkRunner(tiny).run();

		String report = Files.readString(output);
		assertThat(report).contains("### 1. Cold sync of 260 tracks")
			.contains("Peer, spotify-web-api-java")
			.contains("### 2. Warm read")
			.contains("### 3. Revalidation")
			.contains("### 4. Throughput")
			.contains("### 5. MCP tools on the warm library of 263 tracks")
			.contains("MCP calls on a warm library = 0 Spotify requests | met")
			.contains("### 6. Memory: 600 tracks")
			.contains("### Spotify requests per scenario of sections 1-6")
			.contains("cold sync 6 (one per page), peer 6")
			.contains("unchanged revalidation 1, 3 added 1")
			.contains("Peak heap")
			.contains("### 7. 6 people signing in within one second")
			.contains("### 8. A 50-track person signing in")
			.contains("### 9. 20 sequential `refresh=true` calls")
			.contains("### 10. Two")
			.contains("### 11. One 1200-track library")
			.contains("### 12. With the default request budget")
			.contains("<!-- budget:end -->");
	}

}
