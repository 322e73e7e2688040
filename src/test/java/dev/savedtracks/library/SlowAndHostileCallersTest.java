package dev.savedtracks.library;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;
import dev.savedtracks.library.web.SavedTracksApi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One caller cannot take the service down for everyone (issue 12): downloads read by slow
 * clients hold no database connection, a storm of requests for one library parks no more
 * than a few request threads, and a failure of the service's own serves the cached copy
 * and backs off. Run with a pool of two database connections and twenty request threads,
 * so that holding either would show at once. Every download here is read from the
 * database (no answer files): a download copied from a kept file holds no connection by
 * construction, and has tests of its own ({@code AnswerFilesTest}).
 */
@TestPropertySource(properties = { "spring.datasource.hikari.maximum-pool-size=2", "server.tomcat.threads.max=20",
		"library.sync-wait=3s", "library.max-waiters-per-library=5", "library.max-waiters-total=6",
		"library.exports-per-account=3", "library.export-threads=3", "library.max-concurrent-syncs=2",
		"library.failure-backoff=30s", "library.answer-files.size=0" })
class SlowAndHostileCallersTest extends EmulatedSpotifyTest {

	@Test
	void slowDownloadsHoldNoDatabaseConnectionAndReadOneCopy() throws Exception {
		EmulatedUser big = newUser(15_000);
		BrowserSession bigBrowser = signedIn(big);
		String key = key(bigBrowser);
		// Longer than a request waits: the sync goes on, and a later request finds it
		// done.
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> bigBrowser.api("/api/saved-tracks?limit=1").statusCode() == 200);
		String ndjsonEtag = bigBrowser.get("/api/saved-tracks", "application/x-ndjson")
			.headers()
			.firstValue("ETag")
			.orElseThrow();
		BrowserSession other = signedIn(newUser(200));
		read(other.api("/api/saved-tracks?limit=50"));
		List<SlowReader> readers = new ArrayList<>();
		try {
			readers.add(SlowReader.start(this.port, key, "application/json"));
			readers.add(SlowReader.start(this.port, key, "application/x-ndjson"));
			readers.add(SlowReader.start(this.port, key, "application/json"));
			for (SlowReader reader : readers) {
				reader.awaitBody();
			}
			big.saveNewTracks(3);
			read(bigBrowser.api("/api/saved-tracks?refresh=true&limit=1"));

			long started = System.nanoTime();
			HttpResponse<String> quick = other.api("/api/saved-tracks?limit=50");
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			HttpResponse<String> ready = new BrowserSession(appUrl()).get("/readyz", "application/json");

			assertThat(quick.statusCode()).isEqualTo(200);
			assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
			assertThat(ready.statusCode()).isEqualTo(200);
			assertThat(ready.body()).contains("UP");
			SlowReader ndjson = readers.get(1);
			String body = ndjson.readAll();
			assertThat(ndjson.header("etag")).as("the ETag describes the copy the rows come from")
				.isEqualTo(ndjsonEtag);
			assertThat(body.lines().count()).as("the copy as it was when the download started").isEqualTo(15_000);
			assertThat(json.readTree(body.lines().findFirst().orElseThrow()).get("id").asString())
				.isEqualTo(big.library().get(3).id());
		}
		finally {
			readers.forEach(SlowReader::close);
		}
	}

	@Test
	void downloadsBeyondAPersonsShareOrBeyondTheExportThreadsAreRefusedAtOnce() throws Exception {
		EmulatedUser user = newUser(12_000);
		BrowserSession browser = signedIn(user);
		String key = key(browser);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> browser.api("/api/saved-tracks?limit=1").statusCode() == 200);
		BrowserSession other = signedIn(newUser(100));
		read(other.api("/api/saved-tracks?limit=1"));
		List<SlowReader> readers = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				readers.add(SlowReader.start(this.port, key, "application/x-ndjson"));
				readers.get(i).awaitBody();
			}

			Timed fourth = Timed
				.of(() -> BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET", "text/csv"));
			Timed elsewhere = Timed.of(() -> other.get("/api/saved-tracks", "application/x-ndjson"));
			Timed window = Timed.of(() -> other.api("/api/saved-tracks?limit=50"));

			assertThat(fourth.response().statusCode()).isEqualTo(429);
			assertThat(fourth.response().body()).contains("too-many-downloads");
			assertThat(fourth.response().headers().firstValue("Retry-After")).isPresent();
			assertThat(elsewhere.response().statusCode()).as("every export thread is taken").isEqualTo(503);
			assertThat(elsewhere.response().headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(elsewhere.response().body()).contains("busy");
			assertThat(elsewhere.response().headers().firstValue("Retry-After")).isPresent();
			assertThat(List.of(fourth.elapsed(), elsewhere.elapsed())).as("refused at once, not queued")
				.allSatisfy(elapsed -> assertThat(elapsed).isLessThan(Duration.ofSeconds(2)));
			assertThat(window.response().statusCode()).as("JSON windows are not downloads").isEqualTo(200);
		}
		finally {
			readers.forEach(SlowReader::close);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> other.get("/api/saved-tracks", "application/x-ndjson").statusCode() == 200);
	}

	@Test
	void downloadWhoseCopyDisappearsIsCutOffVisiblyNotEndedAsIfComplete() throws Exception {
		EmulatedUser user = newUser(12_000);
		BrowserSession browser = signedIn(user);
		String key = key(browser);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> browser.api("/api/saved-tracks?limit=1").statusCode() == 200);

		try (SlowReader reader = SlowReader.start(this.port, key, "application/x-ndjson")) {
			reader.awaitBody();
			this.jdbc.sql("delete from library_track where account_id = ?").param(user.id()).update();
			byte[] raw = reader.readRaw();

			String end = new String(raw, Math.max(0, raw.length - 5), Math.min(5, raw.length),
					StandardCharsets.US_ASCII);
			assertThat(end).as("no last chunk: the transfer is visibly broken").isNotEqualTo("0\r\n\r\n");
			assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotContain("problem-type");
		}
	}

	@Test
	void stormOfRefreshesForOneLibraryParksFewThreadsAndWaitsNoLongerThanTheLimit() throws Exception {
		EmulatedUser busy = newUser(500);
		BrowserSession busyBrowser = signedIn(busy);
		read(busyBrowser.api("/api/saved-tracks?limit=1"));
		BrowserSession other = signedIn(newUser(100));
		read(other.api("/api/saved-tracks?limit=50"));
		busy.removeTrackAt(10);
		spotify.latency(Duration.ofSeconds(2));
		ExecutorService callers = Executors.newFixedThreadPool(50);
		try {
			List<CompletableFuture<Timed>> storm = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				storm.add(CompletableFuture.supplyAsync(
						() -> Timed.of(() -> busyBrowser.api("/api/saved-tracks?refresh=true&limit=5")), callers));
			}
			Thread.sleep(500);

			Timed quick = Timed.of(() -> other.api("/api/saved-tracks?limit=50"));

			assertThat(quick.response().statusCode()).isEqualTo(200);
			assertThat(quick.elapsed()).isLessThan(Duration.ofSeconds(1));
			for (CompletableFuture<Timed> call : storm) {
				Timed answer = call.get(30, TimeUnit.SECONDS);
				assertThat(answer.response().statusCode()).as("a copy exists: it is served, never an error")
					.isEqualTo(200);
				assertThat(answer.response().headers().firstValue(SavedTracksApi.STALE_HEADER))
					.hasValue("sync-in-progress");
				assertThat(answer.elapsed()).as("within the 3 s wait, with slack for a loaded machine")
					.isLessThan(Duration.ofSeconds(6));
			}
		}
		finally {
			callers.shutdownNow();
			spotify.latency(Duration.ZERO);
		}
	}

	@Test
	void stormsForSeveralLibrariesParkNoMoreThreadsThanTheOverallCap() throws Exception {
		List<BrowserSession> stormed = new ArrayList<>();
		List<EmulatedUser> people = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			people.add(newUser(300));
			stormed.add(signedIn(people.get(i)));
			read(stormed.get(i).api("/api/saved-tracks?limit=1"));
		}
		people.forEach(person -> person.removeTrackAt(3));
		spotify.latency(Duration.ofSeconds(2));
		ExecutorService callers = Executors.newFixedThreadPool(12);
		try {
			List<CompletableFuture<Timed>> storm = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				BrowserSession browser = stormed.get(i % 3);
				storm.add(CompletableFuture
					.supplyAsync(() -> Timed.of(() -> browser.api("/api/saved-tracks?refresh=true&limit=5")), callers));
			}

			List<Timed> answers = new ArrayList<>();
			for (CompletableFuture<Timed> call : storm) {
				answers.add(call.get(30, TimeUnit.SECONDS));
			}

			assertThat(answers).allSatisfy(answer -> assertThat(answer.response().statusCode()).isEqualTo(200));
			long waited = answers.stream()
				.filter(answer -> answer.elapsed().compareTo(Duration.ofMillis(2_500)) >= 0)
				.count();
			assertThat(waited).as("4 per library may wait, but only 6 of the 12 in all (LIBRARY_MAX_WAITERS_TOTAL)")
				.isLessThanOrEqualTo(6);
		}
		finally {
			callers.shutdownNow();
			spotify.latency(Duration.ZERO);
			// The next test must find the replica's sync threads free.
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> stormed.stream()
					.noneMatch(browser -> browser.api("/api/sync-status").body().contains("\"syncing\":true")));
		}
	}

	/**
	 * {@code library.max-concurrent-syncs} (2 here) counts the threads that start syncs,
	 * not the syncs: a started sync holds no thread while it waits for Spotify or for the
	 * request budget (issue 28: a person's first sync starts within moments however many
	 * long syncs run), so four people's first syncs run side by side on two threads.
	 */
	@Test
	void syncsBeyondTheStartingThreadsRunSideBySideWithoutAThreadEach() throws Exception {
		List<EmulatedUser> people = new ArrayList<>();
		List<BrowserSession> browsers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			people.add(newUser(120));
			browsers.add(signedIn(people.get(i)));
		}
		Duration latency = Duration.ofSeconds(1);
		spotify.latency(latency);
		spotify.counters().reset();
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<HttpResponse<String>>> cold = browsers.stream()
				.map(browser -> CompletableFuture.supplyAsync(() -> browser.api("/api/saved-tracks"), callers))
				.toList();

			for (CompletableFuture<HttpResponse<String>> answer : cold) {
				assertThat(ids(read(answer.get(30, TimeUnit.SECONDS)))).hasSize(120);
			}
		}
		finally {
			callers.shutdownNow();
			spotify.latency(Duration.ZERO);
		}

		// A sync is busy from its first request until its last answer; more than the two
		// starting threads at some instant.
		List<java.time.Instant[]> busy = people.stream().map(person -> {
			List<java.time.Instant> received = spotify.counters()
				.tracksRequestLog()
				.stream()
				.filter(record -> person.id().equals(record.userId()))
				.map(record -> record.receivedAt())
				.sorted()
				.toList();
			return new java.time.Instant[] { received.get(0), received.get(received.size() - 1).plus(latency) };
		}).toList();
		long mostAtOnce = busy.stream()
			.mapToLong(sync -> busy.stream()
				.filter(other -> !other[0].isAfter(sync[0]) && other[1].isAfter(sync[0]))
				.count())
			.max()
			.orElse(0);
		assertThat(mostAtOnce).as("syncs running at once on two starting threads").isGreaterThan(2);
	}

	@Test
	void failureOfTheServicesOwnServesTheCopyAndBacksOff() {
		EmulatedUser user = newUser(150);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		user.saveTrack(SavedTrack.of("000000000000000000POISON", "POISON pill", "Chemists"));
		this.jdbc.sql("alter table library_track add constraint no_poison check (item_json not like '%POISON%')")
			.update();
		try {
			spotify.counters().reset();

			HttpResponse<String> failed = browser.api("/api/saved-tracks?refresh=true");
			int requests = spotify.counters().tracksRequests();
			HttpResponse<String> again = browser.api("/api/saved-tracks?refresh=true");

			assertThat(failed.statusCode()).isEqualTo(200);
			assertThat(failed.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("sync-failed");
			assertThat(ids(read(failed))).hasSize(150);
			assertThat(again.headers().firstValue(SavedTracksApi.STALE_HEADER)).hasValue("sync-failed");
			assertThat(spotify.counters().tracksRequests()).as("no new attempt while backing off").isEqualTo(requests);
			JsonNode me = read(browser.api("/api/me"));
			assertThat(me.get("staleReason").asString()).isEqualTo("sync-failed");
		}
		finally {
			this.jdbc.sql("alter table library_track drop constraint no_poison").update();
		}
	}

	private String key(BrowserSession browser) {
		return json.readTree(browser.write("POST", "/api/keys", "{\"name\":\"slow\"}").body()).get("key").asString();
	}

	/** An answer and how long it took. */
	private record Timed(HttpResponse<String> response, Duration elapsed) {

		static Timed of(java.util.function.Supplier<HttpResponse<String>> call) {
			long started = System.nanoTime();
			HttpResponse<String> response = call.get();
			return new Timed(response, Duration.ofNanos(System.nanoTime() - started));
		}

	}

	/**
	 * A client on a bad link: it reads the headers and the first bytes of a download,
	 * then stops reading.
	 */
	private static final class SlowReader implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private SlowReader(Socket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
		}

		static SlowReader start(int port, String key, String accept) throws IOException {
			Socket socket = new Socket();
			socket.setReceiveBufferSize(4096);
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/saved-tracks HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
					+ "\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new SlowReader(socket);
		}

		/** Reads until the headers and a little of the body have arrived. */
		void awaitBody() throws IOException {
			byte[] buffer = new byte[1024];
			while (!headersDone() || this.received.size() < headerLength() + 1024) {
				int read = this.in.read(buffer);
				if (read < 0) {
					return;
				}
				this.received.write(buffer, 0, read);
			}
		}

		/**
		 * Reads the rest, as it came over the wire, until the server closes the
		 * connection.
		 */
		byte[] readRaw() throws IOException {
			try {
				this.in.transferTo(this.received);
			}
			catch (IOException ex) {
				// A connection reset is one way a server cuts a transfer off.
			}
			return this.received.toByteArray();
		}

		/** Reads the rest, and returns the body (chunked transfer decoded). */
		String readAll() throws IOException {
			this.in.transferTo(this.received);
			byte[] all = this.received.toByteArray();
			return dechunk(all, headerLength());
		}

		String header(String name) {
			String headers = this.received.toString(StandardCharsets.ISO_8859_1).substring(0, headerLength());
			return headers.lines()
				.filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
				.map(line -> line.substring(name.length() + 1).trim())
				.findFirst()
				.orElseThrow();
		}

		private boolean headersDone() {
			return this.received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
		}

		private int headerLength() {
			return this.received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
		}

		private static String dechunk(byte[] body, int from) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
			int at = from;
			while (at < body.length) {
				int lineEnd = at;
				while (body[lineEnd] != '\r') {
					lineEnd++;
				}
				int size = Integer.parseInt(new String(body, at, lineEnd - at, StandardCharsets.US_ASCII).trim(), 16);
				if (size == 0) {
					break;
				}
				out.write(body, lineEnd + 2, size);
				at = lineEnd + 2 + size + 2;
			}
			return out.toString(StandardCharsets.UTF_8);
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing a test socket.
			}
		}

	}

}
