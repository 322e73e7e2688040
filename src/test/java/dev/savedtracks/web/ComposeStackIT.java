package dev.savedtracks.web;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.TestSupport;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SpotifyEmulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml run for real with podman-compose (the containers profile): the image
 * built from src/main/docker/Dockerfile, PostgreSQL, two replicas and the proxy, against
 * the Spotify emulator in this JVM, which the containers reach at this machine's own
 * address. Images: the public ones unless POSTGRES_IMAGE, PROXY_IMAGE and APP_BASE_IMAGE
 * name others (CI: the local stand-ins of src/test/docker). One test, in the order an
 * operator meets things: start, sign in, read, lose a replica mid-sync, restart.
 */
class ComposeStackIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String PROJECT = "savedtracks-it";

	private static final int PORT = TestSupport.freePort();

	private static final String APP_IMAGE = "localhost/saved-tracks-service:it";

	private static SpotifyEmulator spotify;

	private static Path override;

	private static Path log;

	@RegisterExtension
	final Chromium chromium = new Chromium(ComposeStackIT::url);

	@BeforeAll
	static void buildAndStart() throws Exception {
		log = Files.createDirectories(Path.of("target", "compose-it")).resolve("podman.log");
		spotify = SpotifyEmulator.startOn(hostAddress());
		spotify.allowRedirectUri(url() + "/login/oauth2/code/spotify");
		podman(Duration.ofMinutes(10), "podman", "build", "--format", "docker", "--build-arg",
				"BASE_IMAGE=" + env("APP_BASE_IMAGE", "eclipse-temurin:17-jre"), "-f", "src/main/docker/Dockerfile",
				"-t", APP_IMAGE, ".");
		override = Path.of("target", "compose-it", "compose.override.yml").toAbsolutePath();
		Files.writeString(override, """
				services:
				  app:
				    environment:
				      SPOTIFY_ACCOUNTS_URL: "%s"
				      SPOTIFY_API_URL: "%s"
				      SPOTIFY_REQUEST_BUDGET: unlimited
				      LIBRARY_WARM_UP: "false"
				      LIBRARY_MIN_RECHECK: 0s
				      LIBRARY_SYNC_LEASE: 3s
				""".formatted(spotify.accountsUrl(), spotify.apiUrl()));
		compose("down", "-v");
		compose("up", "-d");
		awaitReplicasReady();
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			recordMemory();
			for (String container : List.of("_app_1", "_app_2", "_proxy_1")) {
				run(Duration.ofSeconds(30), "podman", "logs", PROJECT + container);
			}
			compose("down", "-v");
		}
		finally {
			if (spotify != null) {
				spotify.close();
			}
		}
	}

	@Test
	void theStackServesThroughItsProxySurvivesALostReplicaAndARestartAndPublishesOnlyTheProxy() throws Exception {
		EmulatedUser user = spotify.user("compose-" + PORT).generateLibrary(1000);

		// Sign in through the proxy in a real browser: the page loads the library.
		try {
			this.chromium.signInAs(user.id());
		}
		catch (RuntimeException ex) {
			throw new AssertionError(
					"sign-in through the proxy ended at " + this.chromium.browser().getCurrentUrl() + ": "
							+ this.chromium.browser().findElement(org.openqa.selenium.By.tagName("body")).getText(),
					ex);
		}
		assertThat(this.chromium.browser().getCurrentUrl()).startsWith(url());

		// An API key, and the library read with it through the proxy.
		BrowserSession browser = new BrowserSession(url());
		browser.signIn(user.id());
		String key = json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"compose\"}").body())
			.get("key")
			.asString();
		assertThat(total(read(url(), key, false))).isEqualTo(1000);

		// A replica killed mid-sync: the sync runs on replica 1 (asked directly), which
		// is
		// then killed; through the proxy, the other finishes it.
		user.removeTrackAt(500);
		spotify.latency(Duration.ofMillis(300));
		spotify.counters().reset();
		String replica1 = "http://" + containerAddress(PROJECT + "_app_1") + ":8080";
		CompletableFuture.runAsync(() -> read(replica1, key, true));
		for (int i = 0; i < 600 && spotify.counters().tracksRequests() < 4; i++) {
			Thread.sleep(50);
		}
		assertThat(spotify.counters().tracksRequests()).as("replica 1 is syncing").isGreaterThanOrEqualTo(4);
		podman(Duration.ofSeconds(30), "podman", "kill", "--signal", "KILL", PROJECT + "_app_1");
		spotify.latency(Duration.ZERO);
		HttpResponse<String> finished = read(url(), key, true);
		assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
		assertThat(total(finished)).isEqualTo(999);

		// Only the proxy's port is published.
		assertThat(publishedPorts()).containsExactly("127.0.0.1:" + PORT + "->8080/tcp");

		// The whole stack restarted: the cache (in PostgreSQL's volume) is read without
		// asking Spotify again.
		compose("down");
		compose("up", "-d");
		awaitReplicasReady();
		spotify.counters().reset();
		HttpResponse<String> afterRestart = read(url(), key, false);
		assertThat(afterRestart.statusCode()).as(afterRestart.body()).isEqualTo(200);
		assertThat(total(afterRestart)).isEqualTo(999);
		assertThat(spotify.counters().tracksRequests()).as("tracks pages asked of Spotify after the restart").isZero();
	}

	private static String url() {
		return "http://127.0.0.1:" + PORT;
	}

	private static HttpResponse<String> read(String base, String key, boolean refresh) {
		return BrowserSession.withKey(base + "/api/saved-tracks" + (refresh ? "?refresh=true" : ""), key, "GET",
				"application/json");
	}

	private static int total(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		return body.get("total").asInt();
	}

	/** Both replicas answer their image's health check, and the proxy reaches one. */
	private static void awaitReplicasReady() throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
		for (String replica : List.of(PROJECT + "_app_1", PROJECT + "_app_2")) {
			while (podmanStatus("podman", "healthcheck", "run", replica) != 0) {
				assertThat(Instant.now()).as(replica + " ready; see " + log).isBefore(deadline);
				Thread.sleep(2000);
			}
		}
		HttpClient client = HttpClient.newHttpClient();
		while (true) {
			try {
				HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create(url() + "/readyz")).build(),
						HttpResponse.BodyHandlers.discarding());
				if (ready.statusCode() == 200) {
					recordMemory();
					return;
				}
			}
			catch (IOException notYet) {
				// the proxy is starting
			}
			assertThat(Instant.now()).as("the proxy answers; see " + log).isBefore(deadline);
			Thread.sleep(1000);
		}
	}

	/** The replicas' memory, for the README's figures (in the log). */
	private static void recordMemory() throws Exception {
		run(Duration.ofSeconds(60), "podman", "stats", "--no-stream", "--format", "memory {{.Name}} {{.MemUsage}}");
	}

	private static List<String> publishedPorts() throws Exception {
		String out = podmanOutput("podman", "ps", "--filter", "label=io.podman.compose.project=" + PROJECT, "--format",
				"{{.Ports}}");
		List<String> ports = new ArrayList<>();
		for (String line : out.split("\n")) {
			for (String port : line.split(",")) {
				if (!port.isBlank()) {
					ports.add(port.trim());
				}
			}
		}
		return ports;
	}

	private static String containerAddress(String container) throws Exception {
		return podmanOutput("podman", "inspect", container, "--format",
				"{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
			.trim();
	}

	private static void compose(String... arguments) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("podman-compose", "-p", PROJECT, "-f", "docker-compose.yml", "-f", override.toString()));
		Collections.addAll(command, arguments);
		podman(Duration.ofMinutes(5), command.toArray(String[]::new));
	}

	private static void podman(Duration timeout, String... command) throws Exception {
		int status = run(timeout, command);
		assertThat(status).as(String.join(" ", command) + "; see " + log).isZero();
	}

	private static int podmanStatus(String... command) throws Exception {
		return run(Duration.ofSeconds(60), command);
	}

	private static int run(Duration timeout, String... command) throws Exception {
		Process process = builder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

	private static String podmanOutput(String... command) throws Exception {
		Process process = builder(command).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(60, TimeUnit.SECONDS);
		return out;
	}

	private static ProcessBuilder builder(String... command) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		Map<String, String> stack = new LinkedHashMap<>();
		stack.put("POSTGRES_IMAGE", env("POSTGRES_IMAGE", "postgres:17-alpine"));
		stack.put("PROXY_IMAGE", env("PROXY_IMAGE", "haproxy:2.6"));
		stack.put("APP_IMAGE", APP_IMAGE);
		stack.put("APP_REPLICAS", "2");
		stack.put("PROXY_PORT", String.valueOf(PORT));
		stack.put("POSTGRES_PASSWORD", "it-" + PORT);
		stack.put("SPOTIFY_CLIENT_ID", spotify.clientId());
		stack.put("SPOTIFY_CLIENT_SECRET", spotify.clientSecret());
		stack.put("TOKEN_ENCRYPTION_KEY", KEY);
		stack.put("SPOTIFY_REDIRECT_URI", url() + "/login/oauth2/code/spotify");
		environment.putAll(stack);
		return builder;
	}

	private static final String KEY = TestSupport.randomKey();

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	/**
	 * An IPv4 address of this machine other than loopback, which containers reach through
	 * their network's gateway.
	 */
	private static String hostAddress() throws IOException {
		for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (network.isUp() && !network.isLoopback() && !network.getName().startsWith("podman")
					&& !network.getName().startsWith("veth") && !network.getName().startsWith("cni")) {
				for (InetAddress address : Collections.list(network.getInetAddresses())) {
					if (address instanceof Inet4Address) {
						return address.getHostAddress();
					}
				}
			}
		}
		throw new IllegalStateException("no IPv4 address for the containers to reach the emulator at");
	}

}
