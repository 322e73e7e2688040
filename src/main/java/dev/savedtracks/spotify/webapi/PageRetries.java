package dev.savedtracks.spotify.webapi;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;

/**
 * The retry policy of a page request, as two Reactor {@link Retry} specs and the two
 * signals they act on. A {@link TryAgain} is retried at once, as often as it comes: what
 * raises it is bounded ({@link PageAttempts}). A {@link TransientFault} (5xx, timeouts,
 * truncated or malformed bodies) is retried {@code SPOTIFY_MAX_RETRIES} times per request
 * with exponential backoff and jitter ({@link Retry#backoff}), and then fails with its
 * {@link SpotifyUnavailable}. Nothing else is retried.
 */
final class PageRetries {

	private final SpotifySettings settings;

	PageRetries(SpotifySettings settings) {
		this.settings = settings;
	}

	/**
	 * {@code attempt}, subscribed to again as the policy says. The backoff of transient
	 * faults is the outer retry, so that its count spans the whole request, however many
	 * times it was tried again at once in between.
	 */
	<T> Mono<T> retried(Mono<T> attempt) {
		return attempt.retryWhen(atOnce()).retryWhen(afterTransientFaults());
	}

	/**
	 * Retries a {@link TryAgain} at once. After a 429 the request waits for the app-wide
	 * pause when it takes its next permit, so no delay is added here.
	 */
	private static Retry atOnce() {
		return Retry.indefinitely().filter(TryAgain.class::isInstance);
	}

	/**
	 * Retries a {@link TransientFault} after {@code SPOTIFY_RETRY_BACKOFF}, doubled each
	 * time up to {@code SPOTIFY_MAX_RETRY_BACKOFF}, with up to half of it again at
	 * random, so that retries spread out.
	 */
	private Retry afterTransientFaults() {
		return Retry.backoff(this.settings.maxRetries(), this.settings.retryBackoff())
			.maxBackoff(this.settings.maxRetryBackoff())
			.filter(TransientFault.class::isInstance)
			.onRetryExhaustedThrow((spec, signal) -> ((TransientFault) signal.failure()).failure());
	}

	/**
	 * Ask again at once: the token was rejected (it is replaced first), Spotify asked for
	 * a pause short enough to wait for, or an empty page claimed more.
	 */
	static final class TryAgain extends RuntimeException {

		TryAgain(String why) {
			super(why, null, false, false);
		}

	}

	/**
	 * A fault that asking again may cure; fails with {@link #failure()} when it does not.
	 */
	static final class TransientFault extends RuntimeException {

		private final SpotifyUnavailable failure;

		TransientFault(SpotifyUnavailable failure) {
			super(failure.getMessage(), failure, false, false);
			this.failure = failure;
		}

		SpotifyUnavailable failure() {
			return this.failure;
		}

	}

}
