import java.nio.file.Path;

import dev.savedtracks.benchmark.BenchmarkRunner;

/**
 * Entry point of {@code ./mvnw -Pbenchmark verify}, run by the JDK's source-file launcher with the test class path.
 * It lives outside the compiled test sources so that {@code spring-boot:test-run} still finds one main class.
 */
public class RunBenchmark {

	public static void main(String[] args) throws Exception {
		Path written = new BenchmarkRunner(BenchmarkRunner.Settings.fromSystemProperties()).run();
		System.out.println("Benchmark report written to " + written.toAbsolutePath());
		System.exit(0);
	}

}
