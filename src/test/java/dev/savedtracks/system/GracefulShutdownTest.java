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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
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
 * The service stopped as a container is (SIGTERM) while a client downloads its library
 * (H2 in {@code DATA_DIR}, as a single replica runs): new connections are refused at
 * once, the download in progress finishes, and the JVM exits as soon as it has, well
 * within the grace period.
 */
class GracefulShutdownTest {

	private static final SpotifyEmulator spotify = SpotifyEmulator.start();

	/** Larger than what the kernel buffers of a loopback connection hold (4 MB). */
	private static final int TRACKS = 20_000;

	@TempDir
	static Path dataDir;

	@AfterAll
	static void stopEmulator() {
		spotify.close();
	}

	@Test
	void sigtermLetsADownloadInProgressFinishRefusesNewConnectionsAndExitsRightAfter() throws Exception {
		int port = TestSupport.freePort();
		String redirectUri = "http://127.0.0.1:" + port + "/login/oauth2/code/spotify";
		spotify.allowRedirectUri(redirectUri);
		EmulatedUser user = spotify.user("shutdown-" + port).generateLibrary(TRACKS);
		Map<String, String> properties = new LinkedHashMap<>(EmulatorWiring.forTests(spotify, TestSupport.randomKey()));
		properties.put("spotify.redirect-uri", redirectUri);
		properties.put("spotify.request-budget", "unlimited");
		properties.put("library.warm-up", "false");
		properties.put("library.answer-files.size", "0");
		properties.put("DATA_DIR", dataDir.toString());
		properties.put("SHUTDOWN_TIMEOUT", "20s");
		Path log = Files.createTempFile("graceful-shutdown", ".log");
		try (ServiceProcess service = ServiceProcess.start(port, properties, log)) {
			String key = signedInWithKey(service, user);
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
				assertThat(Duration.ofNanos(exit - stopped)).as("exit after SIGTERM")
					.isLessThan(Duration.ofSeconds(20));
			}
		}
	}

	private static String signedInWithKey(ServiceProcess service, EmulatedUser user) {
		BrowserSession browser = new BrowserSession(service.url());
		browser.signIn(user.id());
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);
		return JsonMapper.builder()
			.build()
			.readTree(browser.write("POST", "/api/keys", "{\"name\":\"shutdown\"}").body())
			.get("key")
			.asString();
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

	/** Reads 64 KB every 50 ms until the server closes the connection. */
	private static void readToTheEnd(InputStream in, ByteArrayOutputStream body)
			throws IOException, InterruptedException {
		byte[] buffer = new byte[64 * 1024];
		try {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				body.write(buffer, 0, read);
				Thread.sleep(50);
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
