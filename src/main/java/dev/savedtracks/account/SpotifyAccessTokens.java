package dev.savedtracks.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.coordination.OncePerKey;
import dev.savedtracks.spotify.AccessTokenSource;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;

/**
 * Hands out a valid Spotify access token for an account, refreshing it through Spring
 * Security's {@link OAuth2AuthorizedClientManager} when it has expired or Spotify
 * rejected it. Works without a browser session: the account id is all it needs, whichever
 * credential the caller used. A refresh token is redeemed once however many callers and
 * replicas find it expired at the same time ({@link OncePerKey}), and the new tokens are
 * written only while the refresh's lease still holds and the account still exists, so
 * neither a replica that lost its lease nor a refresh that finishes after "delete my
 * data" writes anything.
 */
@Component
public class SpotifyAccessTokens {

	/**
	 * The same margin as Spring Security's refresh-token provider: a token this close to
	 * expiry is refreshed.
	 */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private static final OncePerKey.Terms REFRESH_TERMS = new OncePerKey.Terms(Duration.ofSeconds(30),
			Duration.ofSeconds(20));

	/** How long a caller waits for a refresh that another caller runs. */
	private static final Duration REFRESH_WAIT = Duration.ofSeconds(25);

	/**
	 * Callers that may wait for one account's refresh at once; more get an error at once
	 * instead of a thread.
	 */
	private static final int MAX_WAITERS = 32;

	private final OAuth2AuthorizedClientManager manager;

	private final EncryptedAuthorizedClientService clients;

	private final OncePerKey once;

	private final Clock clock;

	private final AccountDirectory directory;

	SpotifyAccessTokens(OAuth2AuthorizedClientManager manager, EncryptedAuthorizedClientService clients,
			OncePerKey once, Clock clock, AccountDirectory directory) {
		this.directory = directory;
		this.manager = manager;
		this.clients = clients;
		this.once = once;
		this.clock = clock;
	}

	/**
	 * The tokens of one account as one sync sees them: the latest value, replaced at most
	 * once per rejection.
	 */
	public AccessTokenSource forAccount(String accountId) {
		return new AccountTokens(accountId, this.directory.language(accountId));
	}

	/** A usable access token, refreshed first when it has expired. */
	public String accessToken(String accountId) {
		OAuth2AuthorizedClient stored = load(accountId);
		if (!expiresSoon(stored.getAccessToken())) {
			return stored.getAccessToken().getTokenValue();
		}
		return refreshOnce(accountId, () -> !expiresSoon(load(accountId).getAccessToken()));
	}

	/**
	 * Spotify answered 401 to {@code rejected}: refresh once, unless another caller (or
	 * replica) has already replaced it.
	 */
	public String replaceRejected(String accountId, String rejected) {
		return refreshOnce(accountId, () -> !load(accountId).getAccessToken().getTokenValue().equals(rejected));
	}

	private String refreshOnce(String accountId, BooleanSupplier alreadyDone) {
		OncePerKey.Run<String> run = this.once.start("token-refresh:" + accountId, Runnable::run, REFRESH_TERMS,
				alreadyDone, lease -> refresh(accountId, lease, alreadyDone));
		try {
			return run.await(REFRESH_WAIT, MAX_WAITERS);
		}
		catch (TimeoutException ex) {
			throw new SpotifyUnavailable("Spotify's token endpoint is taking too long", ex);
		}
	}

	/**
	 * Under the lease (or with none when another replica refreshed meanwhile): the token
	 * to use now.
	 */
	private String refresh(String accountId, Optional<Lease> lease, BooleanSupplier alreadyDone) {
		if (lease.isEmpty() || alreadyDone.getAsBoolean()) {
			return load(accountId).getAccessToken().getTokenValue();
		}
		Lease held = lease.get();
		OAuth2AuthorizedClient current = load(accountId);
		// Renewals failed for a whole lease: another replica may be redeeming this
		// refresh token already.
		held.ensureHeld();
		OAuth2AuthorizedClient refreshed = authorize(accountId, expired(current));
		this.clients.saveRefreshed(accountId, refreshed, held);
		return refreshed.getAccessToken().getTokenValue();
	}

	private OAuth2AuthorizedClient load(String accountId) {
		OAuth2AuthorizedClient client = this.clients.loadAuthorizedClient(SpotifySettings.REGISTRATION_ID, accountId);
		if (client == null) {
			throw new ReauthorizationRequired(accountId);
		}
		return client;
	}

	private boolean expiresSoon(OAuth2AccessToken token) {
		Instant expiresAt = token.getExpiresAt();
		return expiresAt != null && !this.clock.instant().plus(CLOCK_SKEW).isBefore(expiresAt);
	}

	private OAuth2AuthorizedClient authorize(String accountId, OAuth2AuthorizedClient forced) {
		OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withAuthorizedClient(forced)
			.principal(accountId)
			.build();
		OAuth2AuthorizedClient client;
		try {
			client = this.manager.authorize(request);
		}
		catch (ClientAuthorizationException ex) {
			if (OAuth2ErrorCodes.INVALID_GRANT.equals(ex.getError().getErrorCode())) {
				throw new ReauthorizationRequired(accountId);
			}
			throw new SpotifyUnavailable("Spotify's token endpoint failed: " + ex.getError().getErrorCode(), null);
		}
		catch (OAuth2AuthorizationException ex) {
			throw new SpotifyUnavailable("Spotify's token endpoint failed: " + ex.getError().getErrorCode(), null);
		}
		if (client == null) {
			throw new ReauthorizationRequired(accountId);
		}
		return client;
	}

	/**
	 * The same client with its access token marked expired, so the refresh-token provider
	 * redeems it now.
	 */
	private static OAuth2AuthorizedClient expired(OAuth2AuthorizedClient client) {
		OAuth2AccessToken token = client.getAccessToken();
		Instant past = Instant.EPOCH.plusSeconds(1);
		OAuth2AccessToken stale = new OAuth2AccessToken(token.getTokenType(), token.getTokenValue(), Instant.EPOCH,
				past, token.getScopes());
		return new OAuth2AuthorizedClient(client.getClientRegistration(), client.getPrincipalName(), stale,
				client.getRefreshToken());
	}

	/** One caller's view of an account's token. */
	private final class AccountTokens implements AccessTokenSource {

		private final String accountId;

		private final AtomicReference<@Nullable String> current = new AtomicReference<>();

		private final @Nullable String language;

		AccountTokens(String accountId, @Nullable String language) {
			this.accountId = accountId;
			this.language = language;
		}

		@Override
		public @Nullable String acceptLanguage() {
			return this.language;
		}

		@Override
		public String current() {
			String token = this.current.get();
			if (token == null) {
				token = accessToken(this.accountId);
				this.current.compareAndSet(null, token);
			}
			return token;
		}

		@Override
		public @Nullable String known() {
			return this.current.get();
		}

		@Override
		public String replaceRejected(String rejected) {
			String replaced = SpotifyAccessTokens.this.replaceRejected(this.accountId, rejected);
			this.current.set(replaced);
			return replaced;
		}

	}

}
