package dev.savedtracks.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatorWiring;
import dev.savedtracks.ServiceProcess;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SpotifyEmulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service stopped as a container is (SIGTERM), in a JVM of its own with H2 in
 * {@code DATA_DIR} (as a single replica runs): new connections are refused at once, a
 * download in progress finishes, the leases of syncs still running are released (another
 * replica need not wait for them to lapse), and the JVM exits as soon as it is done, well
 * within the grace period. A failsafe test of the {@code containers} profile (it starts
 * two JVMs and syncs a 20,000-track library: too slow for {@code ./mvnw verify}), which
 * {@code .ci/run} runs.
 */
class GracefulShutdownIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * A CSV (about 5 MB) larger than what the kernel buffers of a loopback connection
	 * hold (4 MB), and small enough to be read within the grace period on a busy machine.
	 */
	private static final int TRACKS = 14_000;

	/** Longer than a sync can run before the test stops the service. */
	private static final String SYNC_LEASE = "5m";

	@TempDir
	Path dataDir;

	@Test
	void sigtermFinishesADownloadReleasesTheLeaseOfASyncWaitingForSpotifyAndExitsRightAfter() throws Exception {
		try (SpotifyEmulator spotify = SpotifyEmulator.start()) {
			int port = TestSupport.freePort();
			EmulatedUser downloader = spotify.user("shutdown-" + port).generateLibrary(TRACKS);
			EmulatedUser syncing = spotify.user("syncing-" + port).generateLibrary(2000);
			Map<String, String> properties = properties(spotify, port, "unlimited");
			Path log = Files.createTempFile("graceful-shutdown", ".log");
			try (ServiceProcess service = ServiceProcess.start(port, properties, log)) {
				String key = signedInWithKey(service, downloader);
				BrowserSession other = new BrowserSession(service.url());
				other.signIn(syncing.id());
				// Each page now takes seconds: the sync below is waiting for Spotify when
				// the service is stopped.
				spotify.latency(Duration.ofSeconds(3));
				syncStarted(other);

				downloadFinishesAndServiceExits(service, port, key, log);
			}
			assertThat(syncLeasesHeld(this.dataDir)).as("sync leases still held after exit; see " + log).isEmpty();
		}
	}

	/**
	 * Since syncs wait for the request budget's permits without a thread, such a sync is
	 * not interrupted at shutdown: its lease is released all the same.
	 */
	@Test
	void sigtermReleasesTheLeaseOfASyncWaitingForPermitsOfTheBudget() throws Exception {
		try (SpotifyEmulator spotify = SpotifyEmulator.start()) {
			int port = TestSupport.freePort();
			EmulatedUser syncing = spotify.user("waiting-" + port).generateLibrary(2000);
			// Sign-in and the first pages use them up; the other 36 pages wait.
			Map<String, String> properties = properties(spotify, port, "6/10m");
			Path log = Files.createTempFile("graceful-shutdown-permits", ".log");
			try (ServiceProcess service = ServiceProcess.start(port, properties, log)) {
				BrowserSession browser = new BrowserSession(service.url());
				browser.signIn(syncing.id());
				syncStarted(browser);
				CompletableFuture<Long> exited = service.exited();
				long stopped = System.nanoTime();

				service.terminate();

				long exit = exited.get(30, TimeUnit.SECONDS);
				assertThat(Duration.ofNanos(exit - stopped)).as("exit after SIGTERM")
					.isLessThan(Duration.ofSeconds(20));
			}
			assertThat(syncLeasesHeld(this.dataDir)).as("sync leases still held after exit; see " + log).isEmpty();
		}
	}

	private Map<String, String> properties(SpotifyEmulator spotify, int port, String budget) {
		String redirectUri = "http://127.0.0.1:" + port + "/login/oauth2/code/spotify";
		spotify.allowRedirectUri(redirectUri);
		Map<String, String> properties = new LinkedHashMap<>(EmulatorWiring.forTests(spotify, TestSupport.randomKey()));
		properties.put("spotify.redirect-uri", redirectUri);
		properties.put("spotify.request-budget", budget);
		properties.put("library.warm-up", "false");
		properties.put("library.answer-files.size", "0");
		// A request does not wait for a long sync: none is in flight when the service
		// stops, so the sync alone holds its lease.
		properties.put("library.sync-wait", "1s");
		properties.put("library.sync-lease", SYNC_LEASE);
		properties.put("DATA_DIR", this.dataDir.toString());
		properties.put("SHUTDOWN_TIMEOUT", "20s");
		return properties;
	}

	/**
	 * Asks for the library, which starts its sync; the request does not wait for it, and
	 * the sync is seen running.
	 */
	private static void syncStarted(BrowserSession browser) throws InterruptedException {
		assertThat(browser.api("/api/saved-tracks").statusCode()).as("a sync that takes longer than a request waits")
			.isEqualTo(503);
		assertThat(json.readTree(browser.api("/api/sync-status").body()).get("syncing").asBoolean()).isTrue();
	}

	private static void downloadFinishesAndServiceExits(ServiceProcess service, int port, String key, Path log)
			throws Exception {
		CompletableFuture<Long> exited = service.exited();

		try (Socket download = download(port, key)) {
			InputStream in = download.getInputStream();
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.write(in.readNBytes(64 * 1024));
			long stopped = System.nanoTime();
			service.terminate();

			assertThat(refusedWithinFiveSeconds(port)).as("new connections refused once stopping").isTrue();
			readToTheEnd(in, body);
			long ended = System.nanoTime();

			String received = body.toString(StandardCharsets.ISO_8859_1);
			assertThat(received).startsWith("HTTP/1.1 200");
			assertThat(received.substring(Math.max(0, received.length() - 200)))
				.as("the end of the download (" + body.size() + " bytes), with its last chunk; see " + log)
				.endsWith("\r\n0\r\n\r\n");
			long exit = exited.get(15, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(exit - ended)).as("exit after the download ended")
				.isLessThan(Duration.ofSeconds(5));
			assertThat(Duration.ofNanos(exit - stopped)).as("exit after SIGTERM").isLessThan(Duration.ofSeconds(20));
		}
	}

	/**
	 * Signs in and waits for the first sync of the library (requests wait only a second
	 * for it); returns an API key.
	 */
	private static String signedInWithKey(ServiceProcess service, EmulatedUser user) throws InterruptedException {
		BrowserSession browser = new BrowserSession(service.url());
		browser.signIn(user.id());
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
		int status;
		while ((status = browser.api("/api/saved-tracks").statusCode()) != 200 && System.nanoTime() < deadline) {
			Thread.sleep(500);
		}
		assertThat(status).as("the first sync of the library").isEqualTo(200);
		return json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"shutdown\"}").body())
			.get("key")
			.asString();
	}

	/**
	 * The sync leases of the stopped service's database that another replica would have
	 * to wait for (unexpired), read from its H2 file.
	 */
	private static List<String> syncLeasesHeld(Path dataDir) throws SQLException {
		String url = "jdbc:h2:file:" + dataDir.resolve("saved-tracks") + ";IFEXISTS=TRUE";
		try (Connection connection = connect(url);
				PreparedStatement query = connection
					.prepareStatement("select name from lease where name like 'library-sync:%' and expires_at > ?")) {
			query.setTimestamp(1, Timestamp.from(Instant.now()));
			List<String> held = new ArrayList<>();
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					held.add(rows.getString(1));
				}
			}
			return held;
		}
	}

	/**
	 * As the service connects: Boot names no user for a file database, older setups "sa".
	 */
	private static Connection connect(String url) throws SQLException {
		try {
			return DriverManager.getConnection(url, "", "");
		}
		catch (SQLException wrongUser) {
			return DriverManager.getConnection(url, "sa", "");
		}
	}

	/**
	 * A CSV download by a client with a small receive buffer, so that the server waits
	 * for it.
	 */
	private static Socket download(int port, String key) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(8192);
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		// A connection the server leaves open shows as a read that times out.
		socket.setSoTimeout(20_000);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /api/saved-tracks HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
				+ "\r\nAccept: text/csv\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	/** Reads 64 KB every 20 ms until the server closes the connection. */
	private static void readToTheEnd(InputStream in, ByteArrayOutputStream body)
			throws IOException, InterruptedException {
		byte[] buffer = new byte[64 * 1024];
		try {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				body.write(buffer, 0, read);
				Thread.sleep(20);
			}
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("the server left the download's connection open after " + body.size() + " bytes",
					ex);
		}
		catch (IOException reset) {
			// Closed by the server: ended, not hanging (the assertions say whether
			// complete).
		}
	}

	private static boolean refusedWithinFiveSeconds(int port) throws InterruptedException {
		for (int i = 0; i < 100; i++) {
			try (Socket probe = new Socket()) {
				probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
			}
			catch (ConnectException refused) {
				return true;
			}
			catch (IOException other) {
				// try again
			}
			Thread.sleep(50);
		}
		return false;
	}

}
