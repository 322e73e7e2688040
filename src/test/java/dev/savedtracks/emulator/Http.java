package dev.savedtracks.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;

/**
 * Small helpers for the JDK HTTP server: form decoding, escaping and writing fixed-length
 * answers.
 */
final class Http {

	static final String JSON = "application/json";

	static final String JSON_UTF8 = "application/json; charset=utf-8";

	static final String HTML = "text/html; charset=utf-8";

	static final String TEXT = "text/plain";

	private Http() {
	}

	/**
	 * Decodes an {@code application/x-www-form-urlencoded} string (or raw query); the
	 * first of repeated names wins.
	 */
	static Map<String, String> form(@Nullable String raw) {
		Map<String, String> params = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return params;
		}
		for (String pair : raw.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = decode((eq < 0) ? pair : pair.substring(0, eq));
			String value = (eq < 0) ? "" : decode(pair.substring(eq + 1));
			params.putIfAbsent(name, value);
		}
		return params;
	}

	/** Decodes one form-encoded value. */
	static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A malformed escape is the client's bug; keep it verbatim so validation
			// reports it as a bad value.
			return value;
		}
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static String html(@Nullable String value) {
		if (value == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(value.length() + 16);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	/** Sends a complete answer with its exact Content-Length. */
	static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		if (body.length == 0) {
			exchange.sendResponseHeaders(status, -1);
			return;
		}
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	static void redirect(HttpExchange exchange, String location) throws IOException {
		exchange.getResponseHeaders().set("Location", location);
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.sendResponseHeaders(302, -1);
	}

	/** Appends a query parameter to a URI that may already carry a query. */
	static String withParam(String uri, String name, String value) {
		return uri + (uri.contains("?") ? "&" : "?") + encode(name) + "=" + encode(value);
	}

	/**
	 * Sleeps; returns false if interrupted (the emulator is closing), with the interrupt
	 * flag kept.
	 */
	static boolean sleep(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return true;
		}
		try {
			Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
