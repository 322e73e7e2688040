package dev.savedtracks.spotify.webapi;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.util.UriComponentsBuilder;

import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.spotify.SpotifyProtocolViolation;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;
import dev.savedtracks.spotify.budget.RequestPermits;
import dev.savedtracks.spotify.webapi.PageRetries.TransientFault;
import dev.savedtracks.spotify.webapi.PageRetries.TryAgain;

/**
 * One attempt at a page: {@code GET /v1/me/tracks} at the attempt's offset, and what its
 * answer means. A page is parsed and {@link PageValidation validated}; a 401 or a 429 is
 * for the request's {@link PageAttempts} to judge (a 429 pauses every request of the app
 * through {@link RequestPermits}); other answers are {@link SpotifyErrors failures}, and
 * the transient ones (5xx, no answer, a broken body) come as a {@link TransientFault}.
 */
@Component
class PageExchange {

	private final WebClient webClient;

	private final JsonMapper json;

	private final SpotifySettings settings;

	private final RequestPermits permits;

	private final MeterRegistry meters;

	PageExchange(@Qualifier("spotifyWebClient") WebClient webClient, JsonMapper json, SpotifySettings settings,
			RequestPermits permits, MeterRegistry meters) {
		this.webClient = webClient;
		this.json = json;
		this.settings = settings;
		this.permits = permits;
		this.meters = meters;
	}

	/**
	 * The page the attempt asks for, with {@code token}, in the person's {@code language}
	 * when known.
	 */
	Mono<SavedTracksPage> page(String token, PageAttempts attempts, @Nullable String language) {
		URI uri = UriComponentsBuilder.fromUri(this.settings.savedTracksUri())
			.queryParam("limit", SpotifyClient.PAGE_SIZE)
			.queryParam("offset", attempts.offset())
			.build(true)
			.toUri();
		return this.webClient.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).headers(headers -> {
			if (language != null) {
				headers.set(HttpHeaders.ACCEPT_LANGUAGE, language);
			}
		})
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(response -> answer(response, token, attempts))
			.onErrorMap(error -> !(error instanceof SpotifyFailure) && !(error instanceof TryAgain), error -> {
				// No answer, or a body that broke off: timeouts, refused connections.
				count("error");
				return noAnswer(error);
			})
			.onErrorMap(SpotifyUnavailable.class, TransientFault::new);
	}

	private Mono<SavedTracksPage> answer(ClientResponse response, String token, PageAttempts attempts) {
		HttpStatusCode status = response.statusCode();
		count(SpotifyErrors.outcome(status.value()));
		if (status.is2xxSuccessful()) {
			return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> trusted(body, attempts));
		}
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.onErrorReturn(new byte[0])
			.flatMap(body -> Mono
				.error(refusal(status.value(), response.headers().asHttpHeaders(), body, token, attempts)));
	}

	private SavedTracksPage trusted(byte[] body, PageAttempts attempts) {
		SavedTracksPage page = parse(body);
		PageValidation.Verdict verdict = PageValidation.check(page, attempts.offset(), attempts.emptyPageAskedAgain());
		if (verdict == PageValidation.Verdict.ASK_AGAIN) {
			throw attempts.emptyPage();
		}
		return page;
	}

	private SavedTracksPage parse(byte[] body) {
		try {
			return this.json.readValue(body, SavedTracksPage.class);
		}
		catch (JacksonException ex) {
			throw new SpotifyProtocolViolation("malformed saved-tracks page (" + body.length + " bytes)");
		}
	}

	private RuntimeException refusal(int status, HttpHeaders headers, byte[] body, String token,
			PageAttempts attempts) {
		if (status == 401) {
			return attempts.tokenRejected(token);
		}
		if (status == 429) {
			return attempts.rateLimited(this.permits.rateLimited(headers, body, attempts.rateLimits()));
		}
		return SpotifyErrors.failure(status, body, headers.getFirst(HttpHeaders.RETRY_AFTER));
	}

	/**
	 * Netty's read timeout is neither an IOException nor java.util.concurrent's
	 * TimeoutException, and errors raised while reading a body are not wrapped in a
	 * WebClientException: each must be named here. Anything else is not Spotify's doing
	 * and is passed on as it is.
	 */
	private static Throwable noAnswer(Throwable error) {
		if (error instanceof WebClientException || error instanceof IOException || error instanceof TimeoutException
				|| error instanceof io.netty.handler.timeout.TimeoutException
				|| error.getCause() instanceof IOException) {
			return new SpotifyUnavailable("Spotify request failed: " + error.getClass().getSimpleName(), error);
		}
		return error;
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

}
