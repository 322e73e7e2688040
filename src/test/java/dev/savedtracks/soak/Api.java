package dev.savedtracks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/saved-tracks} as another service calls it, with an API key, on
 * keep-alive connections. A JSON body is parsed as it streams in, keeping only the items'
 * ids, so that a hundred 5 MB answers at once cost the soak runner little memory and CPU.
 */
final class Api {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final String PROBLEM_PREFIX = "urn:problem-type:saved-tracks:";

	private final HttpClient client;

	private final String baseUrl;

	private final Duration timeout;

	Api(String baseUrl, Duration timeout) {
		this.baseUrl = baseUrl;
		this.timeout = timeout;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	/**
	 * A JSON read of {@code pathAndQuery} (below the base URL) with the key, never
	 * throwing.
	 */
	Answer get(@Nullable String key, String pathAndQuery, String... headers) {
		long start = System.nanoTime();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + pathAndQuery))
			.header("Accept", "application/json")
			.timeout(this.timeout)
			.GET();
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			HttpResponse<InputStream> response = this.client.send(request.build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				return read(response, body, start);
			}
		}
		catch (HttpTimeoutException ex) {
			return Answer.failed(start, "timeout after " + this.timeout.toSeconds() + " s");
		}
		catch (IOException ex) {
			return Answer.failed(start, "connection: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Answer.failed(start, "interrupted");
		}
	}

	private static Answer read(HttpResponse<InputStream> response, InputStream body, long start) throws IOException {
		int status = response.statusCode();
		// A refresh=true within LIBRARY_MIN_RECHECK of the last check is answered from
		// the copy, and says so: it may
		// be as old as that throttle allows, like a copy marked stale, so it is judged as
		// one.
		String stale = response.headers()
			.firstValue("X-Library-Stale")
			.or(() -> response.headers()
				.firstValue("X-Library-Throttled")
				.filter(throttled -> throttled.startsWith("recheck"))
				.map(throttled -> "throttled:recheck"))
			.orElse(null);
		boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
		boolean fromMemory = response.headers().firstValue("Content-Length").isPresent();
		String contentType = response.headers().firstValue("Content-Type").orElse("");
		if (status == 200 && contentType.startsWith("application/json")) {
			Items items;
			try {
				// The parser would close the stream when done; it is read to its end
				// below.
				items = items(new java.io.FilterInputStream(body) {

					@Override
					public void close() {
					}

				});
			}
			catch (JacksonException | IllegalStateException ex) {
				return new Answer(status, null, stale, retryAfter, null, -1, fromMemory, start, System.nanoTime(),
						"unreadable JSON body: " + ex.getMessage());
			}
			String rest;
			try {
				// To its end: a body cut off, or followed by more, after a well-formed
				// document is broken all the same.
				rest = new String(body.readAllBytes(), StandardCharsets.UTF_8).strip();
			}
			catch (IOException ex) {
				return new Answer(status, null, stale, retryAfter, null, -1, fromMemory, start, System.nanoTime(),
						"cut off after a well-formed JSON document of " + items.ids().size() + " items (total "
								+ items.total() + "): " + ex);
			}
			if (!rest.isEmpty()) {
				return new Answer(status, null, stale, retryAfter, null, -1, fromMemory, start, System.nanoTime(),
						"a well-formed JSON document of " + items.ids().size() + " items (total " + items.total()
								+ ") followed by: " + rest.substring(0, Math.min(200, rest.length())));
			}
			return new Answer(status, null, stale, retryAfter, items.ids(), items.total(), fromMemory, start,
					System.nanoTime(), null);
		}
		String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		return new Answer(status, problemType(contentType, text), stale, retryAfter, null, -1, fromMemory, start,
				System.nanoTime(), null);
	}

	/** The last segment of a problem's type, or null when the body is no problem. */
	static @Nullable String problemType(String contentType, String body) {
		if (!contentType.startsWith("application/problem+json")) {
			return null;
		}
		try {
			String type = json.readTree(body).path("type").asString("");
			return type.startsWith(PROBLEM_PREFIX) ? type.substring(PROBLEM_PREFIX.length()) : type;
		}
		catch (JacksonException ex) {
			return "unreadable-problem";
		}
	}

	/**
	 * The {@code total} and the items' ids of a saved-tracks JSON answer, read token by
	 * token.
	 */
	static Items items(InputStream body) {
		List<String> ids = new ArrayList<>();
		int total = -1;
		try (JsonParser parser = json.createParser(body)) {
			expect(parser.nextToken(), JsonToken.START_OBJECT);
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("total".equals(name)) {
					total = parser.getIntValue();
				}
				else if ("items".equals(name)) {
					expect(value, JsonToken.START_ARRAY);
					while (parser.nextToken() == JsonToken.START_OBJECT) {
						ids.add(id(parser));
					}
				}
				else {
					parser.skipChildren();
				}
			}
		}
		return new Items(ids, total);
	}

	/**
	 * The {@code id} of the object whose START_OBJECT the parser is on, leaving the
	 * parser at its end.
	 */
	static String id(JsonParser parser) {
		String id = "<none>";
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			parser.nextToken();
			if ("id".equals(name)) {
				id = parser.getString();
			}
			else {
				parser.skipChildren();
			}
		}
		return id;
	}

	private static void expect(JsonToken actual, JsonToken expected) {
		if (actual != expected) {
			throw new IllegalStateException("expected " + expected + " but found " + actual);
		}
	}

	/** The ids of an answer's items and its total. */
	record Items(List<String> ids, int total) {
	}

}
