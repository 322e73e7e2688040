package dev.savedtracks.spotify;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
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

import dev.savedtracks.spotify.budget.RequestPermits;

/**
 * Non-blocking client for {@code GET /v1/me/tracks}. Each page request (each retry too)
 * takes a permit of the request budget first ({@link RequestPermits}), retries transient
 * faults (5xx, timeouts, truncated or malformed bodies) a bounded number of times with
 * capped, jittered backoff, refreshes the token once on 401, and never retries other 4xx
 * or {@code QUOTA_EXCEEDED}.
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

	private final SpotifySettings settings;

	private final RequestPermits permits;

	private final JsonMapper json;

	private final WebClient webClient;

	private final MeterRegistry meters;

	SpotifyClient(SpotifySettings settings, RequestPermits permits, JsonMapper json, WebClient.Builder builder,
			MeterRegistry meters) {
		this.settings = settings;
		this.permits = permits;
		this.json = json;
		this.meters = meters;
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

	private Mono<SavedTracksPage> attempt(AccessTokenSource tokens, int offset, Requester requester,
			Attempts attempts) {
		return this.permits
			.permit(requester, this.settings.maxRateLimitWait(),
					Mono.fromCallable(tokens::current).subscribeOn(Schedulers.boundedElastic()))
			.flatMap(token -> call(token, offset, attempts)
				.onErrorResume(error -> recover(tokens, offset, requester, attempts, token, error)));
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
			// The app-wide pause now holds every request until it has passed; this retry
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
			RequestPermits.Pause pause = this.permits.rateLimited(headers, body, rateLimitsSoFar);
			if (pause.quotaExceeded()) {
				return new SpotifyQuotaExceeded(pause.length());
			}
			if (pause.length().compareTo(this.settings.maxRateLimitWait()) > 0) {
				return new SpotifyRateLimited(pause.length());
			}
			return new RetryableRateLimit(pause.length());
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
