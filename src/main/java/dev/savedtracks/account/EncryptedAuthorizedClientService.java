package dev.savedtracks.account;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.savedtracks.account.TokenCipher.UndecryptableToken;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.spotify.SpotifySettings;

/**
 * Keeps Spotify's authorized clients in the database instead of memory, so tokens survive
 * restarts and are shared by replicas. Token values are encrypted with
 * {@link TokenCipher}; the associated data binds each value to its account and kind.
 */
@Component
class EncryptedAuthorizedClientService implements OAuth2AuthorizedClientService {

	private static final Log logger = LogFactory.getLog(EncryptedAuthorizedClientService.class);

	private final ClientRegistrationRepository registrations;

	private final AccountRepository accounts;

	private final StoredTokenRepository tokens;

	private final TokenCipher cipher;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	EncryptedAuthorizedClientService(ClientRegistrationRepository registrations, AccountRepository accounts,
			StoredTokenRepository tokens, TokenCipher cipher, Clock clock, ApplicationEventPublisher events) {
		this.events = events;
		this.registrations = registrations;
		this.accounts = accounts;
		this.tokens = tokens;
		this.cipher = cipher;
		this.clock = clock;
	}

	@Override
	@Transactional(readOnly = true)
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		ClientRegistration registration = this.registrations.findByRegistrationId(clientRegistrationId);
		if (registration == null || !SpotifySettings.REGISTRATION_ID.equals(clientRegistrationId)) {
			return null;
		}
		StoredToken stored = this.tokens.findById(principalName).orElse(null);
		if (stored == null) {
			return null;
		}
		try {
			String accessValue = this.cipher.decrypt(stored.accessToken(), associatedData(principalName, "access"));
			OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, accessValue,
					stored.accessIssuedAt(), stored.accessExpiresAt(), scopes(stored.scopes()));
			String refreshCipher = stored.refreshToken();
			OAuth2RefreshToken refresh = (refreshCipher != null) ? new OAuth2RefreshToken(
					this.cipher.decrypt(refreshCipher, associatedData(principalName, "refresh")), null) : null;
			return (T) new OAuth2AuthorizedClient(registration, principalName, access, refresh);
		}
		catch (UndecryptableToken ex) {
			// Treated like "no tokens": the person is asked to sign in again, nothing
			// secret is logged.
			logger
				.warn("Stored Spotify tokens of account " + principalName + " cannot be decrypted: " + ex.getMessage());
			return null;
		}
	}

	/**
	 * Stores the tokens of a completed browser sign-in: the only way an account comes
	 * into being. Tokens of anyone else are stored only if that person's account still
	 * exists, so nothing recreates a deleted person.
	 */
	@Override
	@Transactional
	public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal) {
		String accountId = principal.getName();
		if (principal instanceof OAuth2AuthenticationToken login) {
			Account account = this.accounts.findById(accountId)
				.orElseGet(() -> this.accounts.save(new Account(accountId, this.clock.instant())));
			// The person consented again, so any earlier revocation is over.
			account.signedIn(login.getPrincipal().getAttribute("display_name"), this.clock.instant());
			if (account.acceptLanguage() == null) {
				// The browser's languages, until the person chooses on the page.
				account.speaks(browserLanguage(), this.clock.instant());
			}
			store(accountId, client, this.tokens.findById(accountId).orElseGet(() -> new StoredToken(accountId)));
			this.events.publishEvent(new AccountDirectory.SignedIn(accountId));
			return;
		}
		this.tokens.findById(accountId).ifPresent(stored -> store(accountId, client, stored));
	}

	/** The Accept-Language of the browser completing the sign-in, normalised. */
	private static @Nullable String browserLanguage() {
		if (org.springframework.web.context.request.RequestContextHolder
			.getRequestAttributes() instanceof org.springframework.web.context.request.ServletRequestAttributes attributes) {
			return Languages.normalised(attributes.getRequest().getHeader("Accept-Language"));
		}
		return null;
	}

	/**
	 * Stores refreshed tokens, only while {@code lease} still holds (another replica may
	 * have taken the refresh over) and the person's tokens still exist (they may have
	 * deleted their data meanwhile).
	 * @throws ReauthorizationRequired when the tokens are gone
	 */
	@Transactional
	void saveRefreshed(String accountId, OAuth2AuthorizedClient client, Lease lease) {
		lease.guard();
		StoredToken stored = this.tokens.findById(accountId).orElseThrow(() -> new ReauthorizationRequired(accountId));
		store(accountId, client, stored);
	}

	private void store(String accountId, OAuth2AuthorizedClient client, StoredToken stored) {
		OAuth2AccessToken access = client.getAccessToken();
		OAuth2RefreshToken refresh = client.getRefreshToken();
		String refreshCipher = (refresh != null)
				? this.cipher.encrypt(refresh.getTokenValue(), associatedData(accountId, "refresh")) : null;
		stored.update(this.cipher.encrypt(access.getTokenValue(), associatedData(accountId, "access")),
				access.getIssuedAt(), access.getExpiresAt(), refreshCipher, String.join(" ", access.getScopes()),
				this.clock.instant());
		this.tokens.save(stored);
	}

	@Override
	@Transactional
	public void removeAuthorizedClient(String clientRegistrationId, String principalName) {
		if (SpotifySettings.REGISTRATION_ID.equals(clientRegistrationId)) {
			this.tokens.deleteById(principalName);
		}
	}

	private static String associatedData(String accountId, String kind) {
		return "spotify-token|" + kind + "|" + accountId;
	}

	private static Set<String> scopes(String joined) {
		return new LinkedHashSet<>(Arrays.stream(joined.split(" ")).filter(s -> !s.isBlank()).toList());
	}

}
