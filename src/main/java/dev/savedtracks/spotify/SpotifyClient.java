package dev.savedtracks.spotify;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Non-blocking client for {@code GET /v1/me/tracks}. Each page request (each retry too)
 * waits for the app-wide rate-limit gate and then takes a permit of the app-wide request
 * budget ({@link FairRequestScheduler}), retries transient faults (5xx, timeouts,
 * truncated or malformed bodies) a bounded number of times with capped, jittered backoff,
 * refreshes the token once on 401, and never retries other 4xx or {@code QUOTA_EXCEEDED}.
 */
@Component
public class SpotifyClient {

	/** Spotify's maximum page size. */
	public static final int PAGE_SIZE = 50;

	/**
	 * No real library comes near this; a page claiming more is not Spotify's answer (and
	 * must not size memory).
	 */
	public static final int MAX_TOTAL = 1_000_000;

	private static final int MAX_RATE_LIMIT_RETRIES = 5;

	/** The longest pause a Retry-After may ask for. */
	static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

	/** How long every call pauses after a quota 429 that named no Retry-After. */
	private static final Duration QUOTA_PAUSE = Duration.ofMinutes(1);

	private final SpotifySettings settings;

	private final SpotifyRateLimitGate gate;

	private final FairRequestScheduler scheduler;

	private final SharedRequestBudget budget;

	private final JsonMapper json;

	private final WebClient webClient;

	private final MeterRegistry meters;

	private final Counter pauses;

	private final Clock clock;

	SpotifyClient(SpotifySettings settings, SpotifyRateLimitGate gate, FairRequestScheduler scheduler,
			SharedRequestBudget budget, JsonMapper json, WebClient.Builder builder, MeterRegistry meters, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.gate = gate;
		this.scheduler = scheduler;
		this.budget = budget;
		this.json = json;
		this.meters = meters;
		this.pauses = Counter.builder("spotify.rate_limit.pauses")
			.description("429 answers that paused every Spotify request of the app")
			.register(meters);
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
			.responseTimeout(settings.responseTimeout());
		this.webClient = builder.clone()
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
			.build();
	}

	/**
	 * One page of saved tracks, {@link #PAGE_SIZE} long, starting at {@code offset},
	 * validated. Every attempt (retries included) first takes a permit of the app-wide
	 * request budget, granted fairly across {@code requester}s.
	 */
	public Mono<SavedTracksPage> savedTracks(AccessTokenSource tokens, int offset, Requester requester) {
		return attempt(tokens, offset, requester, new Attempts(0, 0, false, false));
	}

	/**
	 * Waits, for a Web API call made elsewhere ({@code GET /v1/me} at sign-in, through
	 * Spring Security), for the app-wide pause to end and then for a permit of the
	 * request budget, so that it obeys a 429 and counts against the budget like every
	 * other call.
	 * @throws SpotifyRateLimited when no permit came within {@code maxWait}, or the pause
	 * lasts longer
	 * @throws SpotifyQuotaExceeded when the app's quota is reported used up
	 */
	public void awaitPermit(Requester requester, Duration maxWait) {
		try {
			this.gate.whenOpen(maxWait).then(this.scheduler.permit(requester)).block(maxWait);
		}
		catch (IllegalStateException timedOut) {
			throw new SpotifyRateLimited(maxWait);
		}
	}

	/**
	 * Spotify answered 429 to a Web API call made elsewhere ({@code GET /v1/me} at
	 * sign-in): every call of the app pauses, and the budget shrinks, as after a 429 to a
	 * page.
	 */
	public void rateLimitedElsewhere(HttpHeaders headers, byte[] body) {
		count("429");
		failureFor(429, headers, body, 0);
	}

	private Mono<SavedTracksPage> attempt(AccessTokenSource tokens, int offset, Requester requester,
			Attempts attempts) {
		// The permit comes last, right before the call: what Spotify counts is when
		// requests arrive, so nothing slow
		// (a database read, a token refresh) may stand between the grant and the request.
		return this.gate.whenOpen(this.settings.maxRateLimitWait())
			.then(Mono.fromCallable(tokens::current).subscribeOn(Schedulers.boundedElastic()))
			.flatMap(token -> this.scheduler.permit(requester).then(Mono.defer(() -> {
				if (!this.gate.remaining().isZero()) {
					// A 429 paused every call while this one waited for its permit: wait
					// for the pause again.
					return attempt(tokens, offset, requester, attempts);
				}
				return call(token, offset, attempts)
					.onErrorResume(error -> recover(tokens, offset, requester, attempts, token, error));
			})));
	}

	private Mono<SavedTracksPage> recover(AccessTokenSource tokens, int offset, Requester requester, Attempts attempts,
			String token, Throwable error) {
		if (error instanceof Unauthorized && !attempts.refreshed()) {
			return Mono.fromCallable(() -> tokens.replaceRejected(token))
				.subscribeOn(Schedulers.boundedElastic())
				.then(Mono.defer(() -> attempt(tokens, offset, requester, attempts.afterRefresh())));
		}
		if (error instanceof Unauthorized) {
			return Mono.error(new SpotifyRequestRejected(401, "access token rejected after a refresh"));
		}
		if (error instanceof RetryableRateLimit && attempts.rateLimited() < MAX_RATE_LIMIT_RETRIES) {
			// The gate now holds every request until the pause has passed; this retry
			// waits there too.
			return attempt(tokens, offset, requester, attempts.afterRateLimit());
		}
		if (error instanceof RetryableRateLimit limited) {
			return Mono.error(new SpotifyRateLimited(limited.pause));
		}
		if (error instanceof EmptyPage) {
			// Asked once more, at once: a glitch answers the second time; a page of
			// unavailable tracks stays empty.
			return attempt(tokens, offset, requester, attempts.afterEmptyPage());
		}
		SpotifyFailure failure = asFailure(error);
		if (failure == null) {
			return Mono.error(error);
		}
		if (failure.isTransient() && attempts.transientFaults() < this.settings.maxRetries()) {
			return Mono
				.delay(backoff(attempts.transientFaults(), this.settings.retryBackoff(),
						this.settings.maxRetryBackoff()))
				.then(Mono.defer(() -> attempt(tokens, offset, requester, attempts.afterTransientFault())));
		}
		return Mono.error(failure);
	}

	private Mono<SavedTracksPage> call(String token, int offset, Attempts attempts) {
		URI uri = UriComponentsBuilder.fromUri(this.settings.savedTracksUri())
			.queryParam("limit", PAGE_SIZE)
			.queryParam("offset", offset)
			.build(true)
			.toUri();
		return this.webClient.get()
			.uri(uri)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(response -> handle(response, offset, attempts))
			.doOnError(error -> {
				if (!(error instanceof SpotifyFailure) && !(error instanceof Unauthorized)
						&& !(error instanceof RetryableRateLimit) && !(error instanceof EmptyPage)) {
					count("error");
				}
			});
	}

	private Mono<SavedTracksPage> handle(ClientResponse response, int offset, Attempts attempts) {
		HttpStatusCode status = response.statusCode();
		count(outcome(status.value()));
		if (status.is2xxSuccessful()) {
			return response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> validate(parse(body), offset, attempts.emptyPageAskedAgain()));
		}
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.onErrorReturn(new byte[0])
			.flatMap(body -> Mono
				.error(failureFor(status.value(), response.headers().asHttpHeaders(), body, attempts.rateLimited())));
	}

	/**
	 * Spotify requests by outcome: ok, 401, 403, 429, 4xx, 5xx, or error (no answer:
	 * timeouts, broken bodies).
	 */
	private void count(String outcome) {
		Counter.builder("spotify.requests")
			.description("Requests to the Spotify Web API by outcome")
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	private static String outcome(int status) {
		if (status >= 200 && status < 300) {
			return "ok";
		}
		if (status == 401 || status == 403 || status == 429) {
			return Integer.toString(status);
		}
		return (status >= 500) ? "5xx" : "4xx";
	}

	private SavedTracksPage parse(byte[] body) {
		try {
			return this.json.readValue(body, SavedTracksPage.class);
		}
		catch (JacksonException ex) {
			throw new SpotifyProtocolViolation("malformed saved-tracks page (" + body.length + " bytes)");
		}
	}

	/**
	 * Checks what a page must be to be trusted. A page shorter than {@code total} implies
	 * is normal (Spotify leaves out tracks unavailable in the person's market, and its
	 * count may drift between pages), so only what cannot be Spotify's answer is refused:
	 * no count or items, a count beyond any real library, more items than asked for,
	 * another offset than asked for, or a {@code next} link outside the API. An empty
	 * page that claims more is either a glitch (seen on about 1 % of requests by some
	 * clients) or 50 unavailable tracks in a row: it is asked for once more, and taken as
	 * it is the second time, so that such a library is not refused forever.
	 */
	private SavedTracksPage validate(SavedTracksPage page, int offset, boolean askedAgain) {
		if (page.total() == null || page.total() < 0 || page.items() == null) {
			throw new SpotifyProtocolViolation("saved-tracks page without total or items");
		}
		if (page.total() > MAX_TOTAL) {
			throw new SpotifyProtocolViolation("saved-tracks page claims " + page.total() + " tracks");
		}
		if (page.items().size() > PAGE_SIZE) {
			throw new SpotifyProtocolViolation("saved-tracks page with " + page.items().size() + " items");
		}
		if (page.offset() != null && page.offset() != offset) {
			throw new SpotifyProtocolViolation("saved-tracks page for offset " + page.offset() + ", asked " + offset);
		}
		String next = page.next();
		if (next != null && !isInsideApi(next)) {
			// Never followed (pages are asked for by offset), and a page pointing
			// elsewhere is not Spotify's answer.
			throw new SpotifyProtocolViolation("saved-tracks page links outside the Spotify API base");
		}
		if (page.items().isEmpty() && next != null && !askedAgain) {
			throw new EmptyPage();
		}
		return page;
	}

	/**
	 * Whether a link points into the configured API, whatever the case of its host or an
	 * explicit default port.
	 */
	boolean isInsideApi(String link) {
		try {
			URI uri = URI.create(link);
			URI api = this.settings.apiUrl();
			return uri.getScheme() != null && api.getScheme().equalsIgnoreCase(uri.getScheme())
					&& api.getHost().equalsIgnoreCase(uri.getHost()) && port(api) == port(uri) && uri.getPath() != null
					&& uri.getPath().startsWith(api.getPath() + "/");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private RuntimeException failureFor(int status, HttpHeaders headers, byte[] body, int rateLimitsSoFar) {
		if (status == 401) {
			return new Unauthorized();
		}
		if (status == 429) {
			Duration retryAfter = retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
			if ("QUOTA_EXCEEDED".equals(errorReason(body))) {
				// Waiting seconds does not help, but every call of the app pauses all the
				// same.
				Duration pause = (retryAfter != null) ? retryAfter : QUOTA_PAUSE;
				this.gate.pause(pause, SpotifyRateLimitGate.Why.QUOTA_EXCEEDED);
				this.pauses.increment();
				return new SpotifyQuotaExceeded(pause);
			}
			Duration pause = (retryAfter != null) ? retryAfter
					// No usable Retry-After: back off exponentially, still app-wide.
					: backoff(rateLimitsSoFar, Duration.ofSeconds(1), this.settings.maxRateLimitWait());
			this.gate.pause(pause, SpotifyRateLimitGate.Why.RATE_LIMITED);
			// The budget was too high for Spotify now: shrink it (off the event loop: it
			// is a database update).
			Schedulers.boundedElastic().schedule(this.budget::rateLimited);
			this.pauses.increment();
			if (pause.compareTo(this.settings.maxRateLimitWait()) > 0) {
				return new SpotifyRateLimited(pause);
			}
			return new RetryableRateLimit(pause);
		}
		if (status == 403) {
			String text = errorMessage(body);
			return new SpotifyAccessDenied(SpotifyAccessDenied.Reason.of(text),
					"Spotify refused access (403): " + text);
		}
		if (status >= 500) {
			return new SpotifyUnavailable("Spotify answered " + status, null);
		}
		return new SpotifyRequestRejected(status, errorMessage(body));
	}

	private @Nullable String errorReason(byte[] body) {
		JsonNode error = errorNode(body);
		if (error == null) {
			return null;
		}
		JsonNode reason = error.path("error").path("reason");
		if (reason.isMissingNode()) {
			reason = error.path("reason");
		}
		return reason.isString() ? reason.asString() : null;
	}

	/**
	 * Spotify's error message: from its JSON error object, or the body itself when it is
	 * plain text.
	 */
	private String errorMessage(byte[] body) {
		JsonNode error = errorNode(body);
		JsonNode message = (error != null) ? error.path("error").path("message") : null;
		if (message != null && message.isString()) {
			return message.asString();
		}
		if (error == null && body.length > 0) {
			String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8);
			return text.replaceAll("[\\p{Cntrl}]", " ").strip();
		}
		return "no message";
	}

	private @Nullable JsonNode errorNode(byte[] body) {
		try {
			return (body.length > 0) ? this.json.readTree(body) : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The pause a {@code Retry-After} value asks for: delta-seconds or an HTTP-date,
	 * bounded by a day (values of many hours and absurd ones have been seen), or
	 * {@code null} when there is no usable value.
	 */
	static @Nullable Duration retryAfter(@Nullable String header, Clock clock) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.trim();
		if (value.chars().allMatch(Character::isDigit)) {
			String digits = value.replaceFirst("^0+(?=\\d)", "");
			// Beyond a long, or beyond a day: a day.
			return (digits.length() > 9) ? MAX_RETRY_AFTER : bounded(Duration.ofSeconds(Long.parseLong(digits)));
		}
		try {
			Duration until = Duration.between(clock.instant(),
					ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			return until.isNegative() ? Duration.ZERO : bounded(until);
		}
		catch (java.time.DateTimeException | ArithmeticException unparseable) {
			return null;
		}
	}

	private static Duration bounded(Duration pause) {
		return (pause.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : pause;
	}

	/**
	 * Capped exponential backoff with "equal jitter": half fixed, half random, so retries
	 * spread out.
	 */
	static Duration backoff(int attempt, Duration base, Duration cap) {
		long exponential = base.toMillis() << Math.min(attempt, 20);
		long capped = Math.min(Math.max(exponential, 1), cap.toMillis());
		long half = capped / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
	}

	private static @Nullable SpotifyFailure asFailure(Throwable error) {
		if (error instanceof SpotifyFailure failure) {
			return failure;
		}
		// Netty's read timeout is neither an IOException nor java.util.concurrent's
		// TimeoutException, and errors
		// raised while reading a body are not wrapped in a WebClientException: each must
		// be named here.
		if (error instanceof WebClientException || error instanceof IOException || error instanceof TimeoutException
				|| error instanceof io.netty.handler.timeout.TimeoutException
				|| error.getCause() instanceof IOException) {
			return new SpotifyUnavailable("Spotify request failed: " + error.getClass().getSimpleName(), error);
		}
		return null;
	}

	private record Attempts(int transientFaults, int rateLimited, boolean refreshed, boolean emptyPageAskedAgain) {

		Attempts afterTransientFault() {
			return new Attempts(this.transientFaults + 1, this.rateLimited, this.refreshed, this.emptyPageAskedAgain);
		}

		Attempts afterRateLimit() {
			return new Attempts(this.transientFaults, this.rateLimited + 1, this.refreshed, this.emptyPageAskedAgain);
		}

		Attempts afterRefresh() {
			return new Attempts(this.transientFaults, this.rateLimited, true, this.emptyPageAskedAgain);
		}

		Attempts afterEmptyPage() {
			return new Attempts(this.transientFaults, this.rateLimited, this.refreshed, true);
		}

	}

	/**
	 * 200 with no items but a {@code next} link: asked for once more before it is
	 * believed.
	 */
	private static final class EmptyPage extends RuntimeException {

		EmptyPage() {
			super("empty saved-tracks page with a next link", null, false, false);
		}

	}

	/** 401 from the Web API: the access token expired or was revoked. */
	private static final class Unauthorized extends RuntimeException {

		Unauthorized() {
			super("access token rejected", null, false, false);
		}

	}

	/** 429 with a pause short enough to wait for. */
	private static final class RetryableRateLimit extends RuntimeException {

		private final Duration pause;

		RetryableRateLimit(Duration pause) {
			super("rate limited", null, false, false);
			this.pause = pause;
		}

	}

}
