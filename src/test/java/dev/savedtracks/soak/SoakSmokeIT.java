package dev.savedtracks.soak;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.savedtracks.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the soak test working and its assertions honest: every kind of caller, the
 * faults, the deletions and the memory scenario, in a configuration small enough for a
 * few seconds of load. Run by {@code ./mvnw -Pcontainers verify} (CI's second stage), not
 * by {@code ./mvnw verify}, whose time it would take a quarter of. The full run is
 * {@code ./mvnw -Psoak verify}.
 */
class SoakSmokeIT {

	@Test
	void mixedLoadAndLargeWindowsLeaveNoErrorWrongContentOrDeletedAccount() throws Exception {
		Path output = Path.of("target", "soak-smoke.md");
		SoakRunner.Settings tiny = new SoakRunner.Settings(12, 3, 100_000, 20, 10, 3, 50, 300, 300, 5, 20, 200, 1000,
				300, 0, 200, 2, 3000, 60, 10, 0, 8, 300, 2, "256m", 12, output, null, ServiceProcess.LIGHT_JVM);

		SoakRunner.Result result = new SoakRunner(tiny).run();

		assertThat(result.violations()).isEmpty();
		assertThat(result.served()).as("a smoke run on a busy machine still serves some").isGreaterThan(20);
		assertThat(result.deletions()).isPositive();
		assertThat(result.memoryWindows()).isEqualTo(8);
		assertThat(result.mixed().faults()).isNotEmpty();
		assertThat(result.mcpFlood().sent()).as("the MCP flood ran").isPositive();
		assertThat(result.mcpFlood().answered() + result.mcpFlood().refused()).isEqualTo(result.mcpFlood().sent()
				- result.mcpFlood().other().values().stream().mapToLong(Long::longValue).sum());
		assertThat(Files.readString(output)).contains("## Mixed load")
			.contains("| 5xx other than documented 503s | **0**")
			.contains("| Deleted accounts that reappear | **0**")
			.contains("## Memory: 8 concurrent distinct 300-item JSON windows")
			.contains("| MCP flood from one key | Value |")
			.contains("## Verdicts")
			.doesNotContain("**missed**");
	}

}
