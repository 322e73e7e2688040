package dev.savedtracks.postgres;

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

import dev.savedtracks.SavedTracksApplication;

/**
 * A replica of the service in a JVM of its own, so a test can kill it the way an orchestrator or the kernel does
 * (SIGKILL: no shutdown hook, no finally block, no lease released).
 */
final class ReplicaProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private ReplicaProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static ReplicaProcess start(int port, Map<String, String> properties, Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(SavedTracksApplication.class.getName());
		command.add("--server.port=" + port);
		command.add("--management.server.port=0");
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File(System.getProperty("java.io.tmpdir")))
			.start();
		ReplicaProcess replica = new ReplicaProcess(process, port);
		replica.awaitReady(Duration.ofSeconds(90), log);
		return replica;
	}

	String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** SIGKILL. */
	void kill() throws InterruptedException {
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
				HttpURLConnection connection = (HttpURLConnection) URI.create(url() + "/readyz").toURL()
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
