package dev.savedtracks.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * Stands in for Spotify's image CDN (https://i.scdn.co) on the loopback interface, so
 * that album covers load in the browser tests as they do for people, through the page's
 * real Content-Security-Policy: Chromium resolves {@code i.scdn.co} to this server
 * ({@link #chromiumArguments()}) and accepts its self-signed certificate. Every path
 * answers a small SVG in a colour derived from the path, and every request is recorded.
 */
final class CoverServer {

	static final String HOST = "i.scdn.co";

	private static CoverServer started;

	private final HttpsServer server;

	private final Queue<String> requested = new ConcurrentLinkedQueue<>();

	private CoverServer(HttpsServer server) {
		this.server = server;
	}

	/** The one server of this test run, started on first use. */
	static synchronized CoverServer get() {
		if (started == null) {
			started = start();
		}
		return started;
	}

	/**
	 * The Chromium switches that send i.scdn.co here; only this host's certificate errors
	 * can arise.
	 */
	List<String> chromiumArguments() {
		return List.of("--host-resolver-rules=MAP " + HOST + ":443 127.0.0.1:" + this.server.getAddress().getPort(),
				"--ignore-certificate-errors");
	}

	/**
	 * The paths requested so far (such as {@code /image/ab67616d00004851…}), oldest
	 * first.
	 */
	List<String> requested() {
		return List.copyOf(this.requested);
	}

	void forget() {
		this.requested.clear();
	}

	private static CoverServer start() {
		try {
			HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.setHttpsConfigurator(new HttpsConfigurator(selfSignedContext()));
			CoverServer covers = new CoverServer(server);
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().getPath();
				covers.requested.add(path);
				byte[] body = cover(path).getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "image/svg+xml");
				exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return covers;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A square in two colours derived from the path, like a distinct album cover for each
	 * album.
	 */
	private static String cover(String path) {
		int hash = path.hashCode();
		String background = String.format(Locale.ROOT, "hsl(%d 55%% 45%%)", Math.floorMod(hash, 360));
		String foreground = String.format(Locale.ROOT, "hsl(%d 70%% 75%%)", Math.floorMod(hash >> 9, 360));
		return "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'><rect width='64' height='64' fill='"
				+ background + "'/><circle cx='32' cy='32' r='" + (10 + Math.floorMod(hash >> 17, 16)) + "' fill='"
				+ foreground + "'/></svg>";
	}

	/**
	 * A key pair and self-signed certificate for i.scdn.co, made by the JDK's keytool for
	 * this run only.
	 */
	private static SSLContext selfSignedContext() throws IOException {
		Path directory = Files.createTempDirectory("cover-server");
		Path keyStore = directory.resolve("covers.p12");
		char[] password = "covers".toCharArray();
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", HOST, "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=" + HOST, "-ext", "SAN=dns:" + HOST, "-validity", "2",
				"-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", new String(password))
			.redirectErrorStream(true)
			.start();
		try (InputStream output = process.getInputStream()) {
			String printed = new String(output.readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed: " + printed);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		try (InputStream in = Files.newInputStream(keyStore)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, password);
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, password);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
