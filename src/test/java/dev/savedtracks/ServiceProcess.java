package dev.savedtracks;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service in a JVM of its own: a replica a test can kill the way an orchestrator or
 * the kernel does (SIGKILL: no shutdown hook, no finally block, no lease released), or a
 * service with a heap limit for the benchmark.
 */
public final class ServiceProcess implements RunningService {

	private final Process process;

	private final int port;

	private ServiceProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * The JVM options of a service that lives for seconds beside the tests: its JIT
	 * limited to C1 (C2's compiler threads would double the CPU its start-up takes on two
	 * cores) and the serial collector (G1's concurrent threads cost more CPU than they
	 * save at this size), and no verification of the classes it loads (as the test JVMs,
	 * see the pom's {@code test.jvm}). Its figures judge nothing; the full benchmark runs
	 * as deployed.
	 */
	public static final List<String> LIGHT_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
			"-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote");

	/** A replica with a small heap and {@link #LIGHT_JVM}. */
	public static ServiceProcess start(int port, Map<String, String> properties, Path log) throws IOException {
		List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
		jvm.addAll(LIGHT_JVM);
		return start(port, jvm, properties, log);
	}

	public static ServiceProcess start(int port, List<String> jvmArguments, Map<String, String> properties, Path log)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArguments);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(SavedTracksApplication.class.getName());
		command.add("--server.port=" + port);
		Map<String, String> all = new java.util.LinkedHashMap<>(properties);
		all.putIfAbsent("management.server.port", "0");
		all.forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File(System.getProperty("java.io.tmpdir")))
			.start();
		ServiceProcess replica = new ServiceProcess(process, port);
		// Generous: on a shared, loaded machine a start-up has been seen to take over 90
		// s.
		replica.awaitReady(Duration.ofSeconds(240), log);
		return replica;
	}

	/** The JVM's process id. */
	public long pid() {
		return this.process.pid();
	}

	@Override
	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** SIGTERM, as an orchestrator stops a container; does not wait. */
	public void terminate() {
		this.process.destroy();
	}

	/** Completes with {@link System#nanoTime()} when the JVM has exited. */
	public java.util.concurrent.CompletableFuture<Long> exited() {
		return this.process.onExit().thenApply(exited -> System.nanoTime());
	}

	/** SIGKILL. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private void awaitReady(Duration timeout, Path log) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("replica exited during start-up; see " + log);
			}
			try {
				HttpURLConnection connection = (HttpURLConnection) URI.create(url() + "/readyz")
					.toURL()
					.openConnection();
				connection.setConnectTimeout(500);
				if (connection.getResponseCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("replica not ready within " + timeout + "; see " + log);
	}

}
