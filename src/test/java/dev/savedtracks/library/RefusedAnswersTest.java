package dev.savedtracks.library;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak test's failure (issue 28): with every export thread taken and the answer
 * memory full, a plain JSON read of a library kept on disk got its connection closed: the
 * refusal came after the 200's headers, with the kept file's length. It must get a whole
 * {@code 503 busy} with {@code Retry-After}, decided before the answer starts. (That such
 * a read never counts as a download, {@code 429 too-many-downloads}, is
 * {@code SavedTracksAnswersTest}'s.)
 */
@TestPropertySource(properties = { "library.export-threads=1", "library.exports-per-account=1",
		"library.answer-memory=1KB", "library.max-waiters-total=6" })
class RefusedAnswersTest extends EmulatedSpotifyTest {

	@Test
	void aJsonReadRefusedWhileEveryExportThreadIsTakenIsAWhole503WithRetryAfter() throws Exception {
		BrowserSession browser = signedIn(newUser(9_000));
		BrowserSession downloader = signedIn(newUser(9_000));
		String key = json.readTree(downloader.write("POST", "/api/keys", "{\"name\":\"r\"}").body())
			.get("key")
			.asString();
		for (BrowserSession person : java.util.List.of(browser, downloader)) {
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> person.api("/api/saved-tracks?limit=1").statusCode() == 200);
		}
		// Streamed (the answer memory holds nothing) and kept on disk, with its length.
		assertThat(browser.api("/api/saved-tracks").statusCode()).isEqualTo(200);

		try (Socket slow = new Socket()) {
			slow.setReceiveBufferSize(4096);
			slow.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			slow.setSoTimeout(30_000);
			OutputStream out = slow.getOutputStream();
			out.write(("GET /api/saved-tracks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
					+ "\r\nAccept: application/x-ndjson\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = slow.getInputStream();
			byte[] first = in.readNBytes(2048);
			assertThat(new String(first, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");

			HttpResponse<String> refused = browser.api("/api/saved-tracks");

			assertThat(refused.statusCode()).as("someone else's download holds the only export thread").isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(refused.body()).contains("busy");
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> browser.api("/api/saved-tracks").statusCode() == 200);
	}

}
