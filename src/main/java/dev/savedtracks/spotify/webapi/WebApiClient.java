package dev.savedtracks.spotify.webapi;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SavedTracksPage;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.budget.RequestPermits;

/**
 * A page request and its retries: each attempt takes a permit of the request budget
 * (after the app-wide pause), then the {@link PageExchange exchange} with Spotify. What
 * the attempt met decides what follows ({@link PageRetries}): a 401, a short 429 or an
 * empty page that claims more is tried again at once (the pause holds the retry after a
 * 429), a transient fault after a backoff, anything else ends the request.
 */
@Component
class WebApiClient implements SpotifyClient {

	private final SpotifySettings settings;

	private final RequestPermits permits;

	private final PageExchange exchange;

	private final PageRetries retries;

	private final MeterRegistry meters;

	WebApiClient(SpotifySettings settings, RequestPermits permits, PageExchange exchange, MeterRegistry meters) {
		this.settings = settings;
		this.meters = meters;
		this.permits = permits;
		this.exchange = exchange;
		this.retries = new PageRetries(settings);
	}

	@Override
	public Mono<SavedTracksPage> savedTracks(AccessTokenSource tokens, int offset, Requester requester) {
		return Mono.defer(() -> {
			PageAttempts attempts = new PageAttempts(tokens, offset, this.settings.maxRateLimitWait());
			// The token is read before the permit is taken: what Spotify counts is when
			// requests arrive, so nothing slow (a database read, a token refresh) may
			// stand between the grant and the request.
			return this.retries
				.retried(this.permits.permit(requester, this.settings.maxRateLimitWait(), attempts.token())
					.flatMap(token -> {
						attempts.sending().ifPresent(why -> why.count(this.meters));
						return this.exchange.page(token, attempts, tokens.acceptLanguage());
					}));
		});
	}

}
