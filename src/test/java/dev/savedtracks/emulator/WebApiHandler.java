package dev.savedtracks.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.jspecify.annotations.Nullable;

/**
 * Spotify's Web API: {@code GET /v1/me} and {@code GET /v1/me/tracks}, with latency and
 * faults injected.
 */
final class WebApiHandler implements HttpHandler {

	private static final int DEFAULT_LIMIT = 20;

	private static final int MAX_LIMIT = 50;

	private final SpotifyEmulator emulator;

	private final WebApiJson json;

	WebApiHandler(SpotifyEmulator emulator) {
		this.emulator = emulator;
		this.json = new WebApiJson(emulator.apiUrl());
	}

	/** Any path outside the accounts service and the Web API. */
	static void serviceNotFound(HttpExchange exchange) throws IOException {
		try {
			exchange.getRequestBody().readAllBytes();
			send(exchange, Reply.error(404, "Service not found"));
		}
		finally {
			exchange.close();
		}
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		String fullPath = exchange.getRequestURI().getPath();
		String path = fullPath.startsWith("/webapi") ? fullPath.substring("/webapi".length()) : fullPath;
		boolean tracks = path.equals("/v1/me/tracks");
		// Counted on arrival, before latency, so the high-water mark sees requests that
		// are merely waiting.
		Counters.@Nullable Slot slot = tracks ? this.emulator.counters().tracksRequestArrived(bearerOwner(exchange))
				: null;
		try {
			exchange.getRequestBody().readAllBytes();
			if (path.equals("/v1/me")) {
				this.emulator.counters().meRequest();
			}
			if (!Http.sleep(this.emulator.latency())) {
				return;
			}
			boolean get = exchange.getRequestMethod().equals("GET");
			@Nullable Duration wait = this.emulator.rateLimiter().acquire();
			if (wait != null) {
				rateLimited(exchange, slot, wait);
			}
			else if (tracks && get) {
				tracks(exchange, slot);
			}
			else if (path.equals("/v1/me") && get) {
				Auth auth = authenticate(exchange);
				send(exchange, (auth.error != null) ? auth.error : Reply.ok(this.json.profile(auth.user())));
			}
			else if (tracks || path.equals("/v1/me")) {
				if (slot != null) {
					this.emulator.counters().tracksRequestAnswered(slot, -1, -1, 405);
				}
				send(exchange, Reply.error(405, "Method not allowed"));
			}
			else {
				send(exchange, Reply.error(404, "Service not found"));
			}
		}
		catch (RuntimeException ex) {
			// Surface emulator bugs in the test output instead of letting the JDK server
			// swallow them silently.
			ex.printStackTrace();
			throw ex;
		}
		finally {
			if (slot != null) {
				this.emulator.counters().tracksRequestLeft(slot);
			}
			exchange.close();
		}
	}

	/** Refused by the app-wide rolling-window limit, whatever the endpoint. */
	private void rateLimited(HttpExchange exchange, Counters.@Nullable Slot slot, Duration wait) throws IOException {
		this.emulator.counters().rateLimited();
		if (slot != null) {
			Map<String, String> query = Http.form(exchange.getRequestURI().getRawQuery());
			this.emulator.counters()
				.tracksRequestAnswered(slot, parse(query.get("offset"), 0, 0, Integer.MAX_VALUE),
						parse(query.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT), 429);
		}
		// Whole seconds rounded up, so that a client waiting exactly Retry-After finds
		// the window moved on.
		long seconds = Math.max(1, (wait.toNanos() + 999_999_999L) / 1_000_000_000L);
		send(exchange, Reply.error(429, "API rate limit exceeded").header("Retry-After", Long.toString(seconds)));
	}

	private void tracks(HttpExchange exchange, Counters.Slot slot) throws IOException {
		Map<String, String> query = Http.form(exchange.getRequestURI().getRawQuery());
		int offset = parse(query.get("offset"), 0, 0, Integer.MAX_VALUE);
		int limit = parse(query.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
		@Nullable Fault fault = this.emulator.faults().take(offset);
		if (fault instanceof Fault.Delay delay) {
			if (!Http.sleep(delay.delay())) {
				return;
			}
			fault = null;
		}
		Reply reply = (fault != null) ? errorFault(fault) : null;
		if (reply == null) {
			reply = tracksPage(exchange, query, offset, limit, fault);
		}
		this.emulator.counters().tracksRequestAnswered(slot, offset, limit, reply.status);
		Consumer<Integer> hook = this.emulator.faults().takeAfterRequest(offset);
		if (hook != null) {
			// Before sending, so that whatever the client asks after receiving this page
			// already sees the change.
			try {
				hook.accept(offset);
			}
			catch (RuntimeException ex) {
				System.err.println("Spotify emulator: afterRequest hook failed");
				ex.printStackTrace();
			}
		}
		send(exchange, reply);
	}

	/**
	 * The answer for faults that replace the whole response, or null for faults that
	 * alter a normal page.
	 */
	private static @Nullable Reply errorFault(Fault fault) {
		if (fault instanceof Fault.Status status) {
			return Reply.error(status.httpStatus(), message(status.httpStatus()));
		}
		if (fault instanceof Fault.ServerError error) {
			return Reply.error(error.httpStatus(), message(error.httpStatus()))
				.header("Retry-After", Integer.toString(error.retryAfterSeconds()));
		}
		if (fault instanceof Fault.RateLimited rateLimited) {
			return Reply.error(429, "API rate limit exceeded")
				.header("Retry-After", Integer.toString(rateLimited.retryAfterSeconds()));
		}
		if (fault instanceof Fault.RateLimitedRetryAfterZero) {
			return Reply.error(429, "API rate limit exceeded").header("Retry-After", "0");
		}
		if (fault instanceof Fault.RateLimitedWithoutRetryAfter) {
			return Reply.error(429, "API rate limit exceeded");
		}
		if (fault instanceof Fault.BareRateLimited bare) {
			return new Reply(429, null, new byte[0]).header("retry-after", bare.retryAfterValue());
		}
		if (fault instanceof Fault.RateLimitedUntil until) {
			return Reply.error(429, "API rate limit exceeded").header("Retry-After", until.httpDate());
		}
		if (fault instanceof Fault.QuotaExceeded) {
			return new Reply(429,
					WebApiJson.error(429, "Quota exceeded for this development mode application", "QUOTA_EXCEEDED"))
				.header("Retry-After", "30");
		}
		if (fault instanceof Fault.ExpiredToken) {
			return Reply.unauthorized("The access token expired");
		}
		return null;
	}

	private static String message(int status) {
		return switch (status) {
			case 400 -> "Bad request";
			case 401 -> "Invalid access token";
			case 403 -> "Forbidden";
			case 404 -> "Service not found";
			case 429 -> "API rate limit exceeded";
			case 500 -> "Server error";
			case 502 -> "Bad gateway";
			case 503 -> "Service unavailable";
			case 504 -> "Gateway timeout";
			default -> "Error " + status;
		};
	}

	private Reply tracksPage(HttpExchange exchange, Map<String, String> query, int offset, int limit,
			@Nullable Fault fault) {
		Auth auth = authenticate(exchange);
		if (auth.error != null) {
			return auth.error;
		}
		if (!auth.token().hasScope(SpotifyEmulator.LIBRARY_SCOPE)) {
			return Reply.error(403, "Insufficient client scope");
		}
		if (limit < 0) {
			return Reply.error(400, "Invalid limit");
		}
		if (offset < 0) {
			return Reply.error(400, "Invalid offset");
		}
		@Nullable String market = query.get("market");
		// One snapshot per request: the page must be consistent even while a test mutates
		// the library.
		List<SavedTrack> library = auth.user().library();
		int size = library.size();
		// The total the page reports, possibly drifting or faked; next follows from it,
		// as a server computing the
		// page from its own count would do, so that a client trusting next alone may stop
		// early.
		long total = (fault instanceof Fault.HugeTotal huge) ? huge.total()
				: auth.user().reportedTotal(library, offset);
		long end = Math.min((long) offset + limit, size);
		List<SavedTrack> positions = (offset >= size) ? List.of() : library.subList(offset, (int) end);
		// Unavailable tracks keep their positions but are left out, so a page may be
		// short of limit mid-library.
		@Nullable String language = exchange.getRequestHeaders().getFirst("Accept-Language");
		List<SavedTrack> items = positions.stream()
			.filter((track) -> !track.unavailable())
			.map((track) -> localized(track, language))
			.toList();
		long nextOffset = (long) offset + limit;
		@Nullable String next = (nextOffset < total) ? pageUrl(nextOffset, limit, market) : null;
		@Nullable String previous = (offset == 0) ? null : pageUrl(Math.max(0, offset - limit), limit, market);
		if (fault instanceof Fault.ForeignNextLink) {
			next = "https://evil.example.net/v1/me/tracks?offset=" + nextOffset + "&limit=" + limit;
		}
		else if (fault instanceof Fault.EmptyPageWithNext) {
			items = List.of();
			next = pageUrl(nextOffset, limit, market);
		}
		byte[] body = this.json.page(pageUrl(offset, limit, market), items, limit, next, offset, previous, total);
		if (fault instanceof Fault.MalformedJson) {
			return Reply.ok(Arrays.copyOf(body, Math.max(1, body.length - 10)));
		}
		Reply reply = Reply.ok(body);
		if (fault instanceof Fault.TruncatedBody) {
			reply.truncated = true;
		}
		return reply;
	}

	/**
	 * The track with its name and its artists' named in {@code language}, where known.
	 */
	private SavedTrack localized(SavedTrack track, @Nullable String language) {
		if (language == null || track.trackMissing()) {
			return track;
		}
		List<Artist> artists = track.artists()
			.stream()
			.map((artist) -> new Artist(artist.id(), this.emulator.localized(artist.name(), language)))
			.toList();
		return new SavedTrack(track.addedAt(), track.id(), this.emulator.localized(track.name(), language),
				track.isrc(), track.durationMs(), track.explicit(), artists, track.album(), track.local(),
				track.unavailable(), track.trackMissing());
	}

	private String pageUrl(long offset, int limit, @Nullable String market) {
		String url = this.emulator.apiUrl() + "/v1/me/tracks?offset=" + offset + "&limit=" + limit;
		return (market != null) ? url + "&market=" + Http.encode(market) : url;
	}

	/**
	 * The integer parameter, {@code absent} when missing, or -1 when not an integer in
	 * [min, max].
	 */
	private static int parse(@Nullable String value, int absent, int min, int max) {
		if (value == null) {
			return absent;
		}
		try {
			int parsed = Integer.parseInt(value);
			return (parsed >= min && parsed <= max) ? parsed : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private Auth authenticate(HttpExchange exchange) {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null || authorization.isBlank()) {
			return Auth.failed(Reply.unauthorized("No token provided"));
		}
		if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return Auth.failed(Reply.error(400, "Only valid bearer authentication supported"));
		}
		SpotifyEmulator.AccessToken token = this.emulator.accessToken(authorization.substring(7).strip());
		EmulatedUser user = (token != null) ? this.emulator.existingUser(token.userId()) : null;
		if (token == null || user == null || user.grantEpoch() != token.epoch()) {
			return Auth.failed(Reply.unauthorized("Invalid access token"));
		}
		if (!Instant.now().isBefore(token.expiresAt())) {
			return Auth.failed(Reply.unauthorized("The access token expired"));
		}
		if (this.emulator.ownerPremiumLapsed()) {
			return Auth.failed(Reply.error(403, "Active premium subscription required for the owner of the app."));
		}
		if (user.denied()) {
			// Plain text, not Spotify's JSON error: what real Spotify answers a user
			// missing from the user list.
			return Auth.failed(new Reply(403, Http.TEXT, user.deniedWith().getBytes(StandardCharsets.UTF_8)));
		}
		return new Auth(user, token, null);
	}

	/**
	 * The user the bearer token was issued to, whatever its state, or null; for per-user
	 * request counts.
	 */
	private @Nullable String bearerOwner(HttpExchange exchange) {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		SpotifyEmulator.AccessToken token = this.emulator.accessToken(authorization.substring(7).strip());
		return (token != null) ? token.userId() : null;
	}

	private static void send(HttpExchange exchange, Reply reply) throws IOException {
		for (Map.Entry<String, String> header : reply.headers.entrySet()) {
			exchange.getResponseHeaders().set(header.getKey(), header.getValue());
		}
		if (reply.contentType == null) {
			// The bare 429: no Content-Type and no body at all.
			exchange.sendResponseHeaders(reply.status, -1);
			return;
		}
		if (!reply.truncated) {
			Http.send(exchange, reply.status, reply.contentType, reply.body);
			return;
		}
		exchange.getResponseHeaders().set("Content-Type", reply.contentType);
		exchange.getResponseHeaders().set("Connection", "close");
		exchange.sendResponseHeaders(reply.status, reply.body.length);
		OutputStream out = exchange.getResponseBody();
		out.write(reply.body, 0, reply.body.length / 2);
		out.flush();
		// Not out.close(): that leaves the connection open and the client waiting
		// forever. The caller's
		// exchange.close() with bytes missing makes the JDK server drop the connection: a
		// premature EOF.
	}

	/**
	 * The outcome of checking the bearer token: a user and token, or the error to answer.
	 */
	private record Auth(@Nullable EmulatedUser userOrNull, SpotifyEmulator.@Nullable AccessToken tokenOrNull,
			@Nullable Reply error) {

		static Auth failed(Reply error) {
			return new Auth(null, null, error);
		}

		EmulatedUser user() {
			if (this.userOrNull == null) {
				throw new IllegalStateException("authentication failed");
			}
			return this.userOrNull;
		}

		SpotifyEmulator.AccessToken token() {
			if (this.tokenOrNull == null) {
				throw new IllegalStateException("authentication failed");
			}
			return this.tokenOrNull;
		}

	}

	/**
	 * A response to send: status, body and its type (none for no body), extra headers,
	 * whether to cut it off.
	 */
	private static final class Reply {

		private final int status;

		private final @Nullable String contentType;

		private final byte[] body;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private boolean truncated;

		Reply(int status, @Nullable String contentType, byte[] body) {
			this.status = status;
			this.contentType = contentType;
			this.body = body;
		}

		Reply(int status, byte[] json) {
			this(status, Http.JSON_UTF8, json);
		}

		static Reply ok(byte[] body) {
			return new Reply(200, body);
		}

		static Reply error(int status, String message) {
			return new Reply(status, WebApiJson.error(status, message, null));
		}

		static Reply unauthorized(String message) {
			// RFC 6750: a request without a token gets the challenge alone, a bad token
			// also the error code.
			String challenge = message.equals("No token provided") ? "Bearer realm=\"spotify\""
					: "Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"" + message + "\"";
			return error(401, message).header("WWW-Authenticate", challenge);
		}

		Reply header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

	}

}
