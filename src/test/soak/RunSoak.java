import dev.savedtracks.soak.SoakRunner;

/**
 * Entry point of {@code ./mvnw -Psoak verify}, run by the JDK's source-file launcher with the test class path (like
 * {@code RunBenchmark}, outside the compiled test sources so that {@code spring-boot:test-run} finds one main
 * class). Exits with 1 when the run missed a requirement, after writing its report.
 */
public class RunSoak {

	public static void main(String[] args) throws Exception {
		SoakRunner.Result result = new SoakRunner(SoakRunner.Settings.fromSystemProperties()).run();
		System.out.println("Soak report written to " + result.report().toAbsolutePath());
		if (!result.violations().isEmpty()) {
			System.out.println("Soak test FAILED:");
			result.violations().forEach(violation -> System.out.println("  - " + violation));
			System.exit(1);
		}
		System.out.println("Soak test passed: every requirement met.");
		System.exit(0);
	}

}
