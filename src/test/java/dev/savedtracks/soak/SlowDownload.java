package dev.savedtracks.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A download (CSV or NDJSON, the whole library) by a client on a slow link: a small
 * receive buffer and a pause after every few kilobytes, so that the service's writer
 * blocks on the socket as it would for a real slow client. Plain sockets, because an HTTP
 * client library reads as fast as it can.
 */
final class SlowDownload {

	private static final int MAX_BYTES = 64 * 1024 * 1024;

	private SlowDownload() {
	}

	/**
	 * Downloads {@code accept} with the key, reading {@code step} bytes every
	 * {@code pause}; never throws.
	 */
	static Answer get(int port, String key, String accept, int step, Duration pause, Duration timeout) {
		long start = System.nanoTime();
		try (Socket socket = new Socket()) {
			socket.setReceiveBufferSize(8192);
			socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/saved-tracks HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
					+ "\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] raw = readSlowly(socket.getInputStream(), step, pause, start + timeout.toNanos());
			return parse(raw, accept, start);
		}
		catch (SocketTimeoutException ex) {
			return Answer.failed(start, "timeout after " + timeout.toSeconds() + " s");
		}
		catch (IOException ex) {
			return Answer.failed(start, "connection: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Answer.failed(start, "interrupted");
		}
	}

	private static byte[] readSlowly(InputStream in, int step, Duration pause, long deadline)
			throws IOException, InterruptedException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[step];
		int read;
		while ((read = in.read(buffer)) >= 0) {
			received.write(buffer, 0, read);
			if (received.size() > MAX_BYTES || System.nanoTime() > deadline) {
				throw new SocketTimeoutException("download too large or too slow");
			}
			Thread.sleep(pause.toMillis());
		}
		return received.toByteArray();
	}

	private static Answer parse(byte[] raw, String accept, long start) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int headerEnd = text.indexOf("\r\n\r\n");
		if (headerEnd < 0) {
			return Answer.failed(start, "connection closed before the headers (" + raw.length + " bytes)");
		}
		String[] lines = text.substring(0, headerEnd).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
					lines[i].substring(colon + 1).trim());
		}
		boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
		byte[] body;
		try {
			body = chunked ? dechunk(raw, headerEnd + 4) : java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
		}
		catch (RuntimeException ex) {
			return new Answer(status, null, headers.get("x-library-stale"), headers.containsKey("retry-after"), null,
					-1, !chunked, start, System.nanoTime(), "broken chunked body: " + ex.getMessage());
		}
		String contentType = headers.getOrDefault("content-type", "");
		String bodyText = new String(body, StandardCharsets.UTF_8);
		if (status != 200) {
			return new Answer(status, Api.problemType(contentType, bodyText), headers.get("x-library-stale"),
					headers.containsKey("retry-after"), null, -1, !chunked, start, System.nanoTime(), null);
		}
		try {
			List<String> ids = accept.equals("text/csv") ? csvIds(bodyText) : ndjsonIds(bodyText);
			return new Answer(status, null, headers.get("x-library-stale"), headers.containsKey("retry-after"), ids, -1,
					!chunked, start, System.nanoTime(), null);
		}
		catch (JacksonException | IllegalStateException ex) {
			return new Answer(status, null, headers.get("x-library-stale"), headers.containsKey("retry-after"), null,
					-1, !chunked, start, System.nanoTime(), "unreadable body: " + ex.getMessage());
		}
	}

	/**
	 * The body of a chunked message; a message cut off before its last chunk is refused.
	 */
	private static byte[] dechunk(byte[] raw, int from) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
		int at = from;
		while (true) {
			int lineEnd = at;
			while (lineEnd + 1 < raw.length && !(raw[lineEnd] == '\r' && raw[lineEnd + 1] == '\n')) {
				lineEnd++;
			}
			if (lineEnd + 1 >= raw.length) {
				throw new IllegalStateException("cut off before the last chunk, after " + out.size() + " bytes");
			}
			String size = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).trim();
			int semicolon = size.indexOf(';');
			int length = Integer.parseInt((semicolon >= 0) ? size.substring(0, semicolon) : size, 16);
			if (length == 0) {
				return out.toByteArray();
			}
			if (lineEnd + 2 + length > raw.length) {
				throw new IllegalStateException("cut off inside a chunk, after " + out.size() + " bytes");
			}
			out.write(raw, lineEnd + 2, length);
			at = lineEnd + 2 + length + 2;
		}
	}

	/** The {@code id} of every line of an NDJSON body. */
	private static List<String> ndjsonIds(String body) {
		List<String> ids = new ArrayList<>();
		for (String line : body.split("\n")) {
			if (line.isEmpty()) {
				continue;
			}
			try (JsonParser parser = Api.json.createParser(line)) {
				if (parser.nextToken() != JsonToken.START_OBJECT) {
					throw new IllegalStateException("a line that is no object: " + line);
				}
				ids.add(Api.id(parser));
			}
		}
		return ids;
	}

	/** The first field (the id) of every record after the header of an RFC 4180 body. */
	private static List<String> csvIds(String body) {
		List<String> ids = new ArrayList<>();
		int at = 0;
		boolean header = true;
		while (at < body.length()) {
			int end = at;
			while (end < body.length() && body.charAt(end) != ',' && body.charAt(end) != '\r') {
				end++;
			}
			String first = body.substring(at, end);
			at = skipRecord(body, at);
			if (header) {
				if (!first.equals("id")) {
					throw new IllegalStateException("CSV header does not start with id: " + first);
				}
				header = false;
			}
			else {
				ids.add(first);
			}
		}
		return ids;
	}

	/**
	 * The index after the CRLF that ends the record starting at {@code at}, honouring
	 * quoted fields.
	 */
	private static int skipRecord(String body, int at) {
		boolean quoted = false;
		for (int i = at; i < body.length(); i++) {
			char c = body.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
				return i + 2;
			}
		}
		return body.length();
	}

}
