package dev.savedtracks.spotify.webapi;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.ExtraRequest;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;
import dev.savedtracks.spotify.SpotifyRequestRejected;
import dev.savedtracks.spotify.budget.RequestPermits;
import dev.savedtracks.spotify.webapi.PageRetries.TryAgain;

/**
 * What one page request has met so far, across its attempts, and so whether it may try
 * again at once: the token is replaced once after a 401, a short 429 is waited out five
 * times at most, and an empty page that claims more is asked for once more. Attempts
 * follow each other, never overlap.
 */
final class PageAttempts {

	private static final int MAX_RATE_LIMIT_RETRIES = 5;

	private final AccessTokenSource tokens;

	private final int offset;

	private final Duration maxPause;

	/** The token Spotify rejected, to be replaced before the next attempt. */
	private volatile @Nullable String rejected;

	private volatile boolean refreshed;

	private volatile int rateLimits;

	private volatile boolean emptyPageAskedAgain;

	/** Attempts sent so far. */
	private volatile int sent;

	/** Why the next attempt is made, as the last one's answer said; null for a fault. */
	private volatile @Nullable ExtraRequest again;

	PageAttempts(AccessTokenSource tokens, int offset, Duration maxPause) {
		this.tokens = tokens;
		this.offset = offset;
		this.maxPause = maxPause;
	}

	int offset() {
		return this.offset;
	}

	/**
	 * An attempt is about to be sent: why, when it is not the page's first (a retry after
	 * a transient fault unless its answer named another reason), else empty.
	 */
	Optional<ExtraRequest> sending() {
		if (this.sent++ == 0) {
			return Optional.empty();
		}
		ExtraRequest why = this.again;
		this.again = null;
		return Optional.of((why != null) ? why : ExtraRequest.RETRY);
	}

	/**
	 * The token for the next attempt: the current one, or a new one after a rejection
	 * (off the event loop: both may block, unless the current one is known already).
	 */
	Mono<String> token() {
		return Mono.defer(() -> {
			String known = (this.rejected == null) ? this.tokens.known() : null;
			return (known != null) ? Mono.just(known) : blockingToken();
		});
	}

	private Mono<String> blockingToken() {
		return Mono.fromCallable(() -> {
			String rejectedToken = this.rejected;
			if (rejectedToken == null) {
				return this.tokens.current();
			}
			this.rejected = null;
			return this.tokens.replaceRejected(rejectedToken);
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Spotify answered 401 to {@code token}: ask again with a new token, the first time.
	 */
	RuntimeException tokenRejected(String token) {
		if (this.refreshed) {
			return new SpotifyRequestRejected(401, "access token rejected after a refresh");
		}
		this.refreshed = true;
		this.rejected = token;
		this.again = ExtraRequest.TOKEN_REFRESH;
		return new TryAgain("access token rejected");
	}

	/**
	 * Spotify answered 429 and every request of the app now pauses: ask again (after the
	 * pause) while it is short enough to wait for, five times at most.
	 */
	RuntimeException rateLimited(RequestPermits.Pause pause) {
		if (pause.quotaExceeded()) {
			return new SpotifyQuotaExceeded(pause.length());
		}
		if (pause.length().compareTo(this.maxPause) > 0 || this.rateLimits >= MAX_RATE_LIMIT_RETRIES) {
			return new SpotifyRateLimited(pause.length());
		}
		this.rateLimits++;
		this.again = ExtraRequest.RATE_LIMITED;
		return new TryAgain("rate limited");
	}

	/** The 429s this request has waited out so far. */
	int rateLimits() {
		return this.rateLimits;
	}

	/** Whether an empty page that claims more was asked for once more already. */
	boolean emptyPageAskedAgain() {
		return this.emptyPageAskedAgain;
	}

	/**
	 * An empty page claimed more: ask once more, and take it as it is the second time.
	 */
	RuntimeException emptyPage() {
		this.emptyPageAskedAgain = true;
		this.again = ExtraRequest.EMPTY_PAGE;
		return new TryAgain("empty saved-tracks page with a next link");
	}

}
