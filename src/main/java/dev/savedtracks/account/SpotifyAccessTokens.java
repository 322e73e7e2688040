package dev.savedtracks.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;

import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.SpotifyUnavailable;
import dev.savedtracks.system.Leases;
import dev.savedtracks.system.Leases.Lease;

/**
 * Hands out a valid Spotify access token for an account, refreshing it through Spring Security's
 * {@link OAuth2AuthorizedClientManager} when it has expired or Spotify rejected it. Works without a browser
 * session: the account id is all it needs, whichever credential the caller used.
 */
@Component
public class SpotifyAccessTokens {

	/** The same margin as Spring Security's refresh-token provider: a token this close to expiry is refreshed. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private static final Duration REFRESH_LEASE = Duration.ofSeconds(30);

	private static final Duration REFRESH_WAIT = Duration.ofSeconds(20);

	private final OAuth2AuthorizedClientManager manager;

	private final OAuth2AuthorizedClientService clients;

	private final Leases leases;

	private final Clock clock;

	// Refreshes of one account are serialised so that two callers finding the same expired token redeem the
	// refresh token once. One lock per account, so a slow refresh never holds up another person.
	private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

	SpotifyAccessTokens(OAuth2AuthorizedClientManager manager, OAuth2AuthorizedClientService clients, Leases leases,
			Clock clock) {
		this.manager = manager;
		this.clients = clients;
		this.leases = leases;
		this.clock = clock;
	}

	/** A usable access token, refreshed first when it has expired. */
	public String accessToken(String accountId) {
		OAuth2AuthorizedClient stored = load(accountId);
		if (!expiresSoon(stored.getAccessToken())) {
			return stored.getAccessToken().getTokenValue();
		}
		return refreshOnce(accountId, () -> !expiresSoon(load(accountId).getAccessToken()),
				() -> authorize(accountId, null));
	}

	/**
	 * Spotify answered 401 to {@code rejected}: refresh once, unless another caller (or replica) has already
	 * replaced it.
	 */
	public String replaceRejected(String accountId, String rejected) {
		return refreshOnce(accountId, () -> !load(accountId).getAccessToken().getTokenValue().equals(rejected), () -> {
			OAuth2AuthorizedClient current = load(accountId);
			if (!current.getAccessToken().getTokenValue().equals(rejected)) {
				return current.getAccessToken().getTokenValue();
			}
			return authorize(accountId, expired(current));
		});
	}

	/**
	 * Runs a refresh so that a refresh token is redeemed once: serialised within this replica by a lock, across
	 * replicas by a database lease. Whoever waited finds the token already replaced and uses it.
	 */
	private String refreshOnce(String accountId, BooleanSupplier alreadyDone, Supplier<String> refresh) {
		return withLock(accountId, () -> {
			Optional<Lease> lease = this.leases.acquire("token-refresh:" + accountId, REFRESH_LEASE, REFRESH_WAIT,
					alreadyDone);
			if (lease.isEmpty()) {
				return load(accountId).getAccessToken().getTokenValue();
			}
			try (Lease held = lease.get()) {
				return refresh.get();
			}
		});
	}

	private OAuth2AuthorizedClient load(String accountId) {
		OAuth2AuthorizedClient client = this.clients.loadAuthorizedClient(SpotifySettings.REGISTRATION_ID,
				accountId);
		if (client == null) {
			throw new ReauthorizationRequired(accountId);
		}
		return client;
	}

	private boolean expiresSoon(OAuth2AccessToken token) {
		Instant expiresAt = token.getExpiresAt();
		return expiresAt != null && !this.clock.instant().plus(CLOCK_SKEW).isBefore(expiresAt);
	}

	private String authorize(String accountId, @Nullable OAuth2AuthorizedClient forced) {
		OAuth2AuthorizeRequest request = (forced != null) ? OAuth2AuthorizeRequest.withAuthorizedClient(forced)
			.principal(accountId)
			.build()
				: OAuth2AuthorizeRequest.withClientRegistrationId(SpotifySettings.REGISTRATION_ID)
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
		return client.getAccessToken().getTokenValue();
	}

	/** The same client with its access token marked expired, so the refresh-token provider redeems it now. */
	private static OAuth2AuthorizedClient expired(OAuth2AuthorizedClient client) {
		OAuth2AccessToken token = client.getAccessToken();
		Instant past = Instant.EPOCH.plusSeconds(1);
		OAuth2AccessToken stale = new OAuth2AccessToken(token.getTokenType(), token.getTokenValue(), Instant.EPOCH,
				past, token.getScopes());
		return new OAuth2AuthorizedClient(client.getClientRegistration(), client.getPrincipalName(), stale,
				client.getRefreshToken());
	}

	private String withLock(String accountId, Supplier<String> action) {
		ReentrantLock lock = this.locks.computeIfAbsent(accountId, id -> new ReentrantLock());
		lock.lock();
		try {
			return action.get();
		}
		finally {
			lock.unlock();
		}
	}

}
