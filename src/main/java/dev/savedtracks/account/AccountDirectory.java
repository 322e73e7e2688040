package dev.savedtracks.account;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What other features may ask about, or do to, the people who signed in. */
@Service
public class AccountDirectory {

	private final AccountRepository accounts;

	private final ApplicationEventPublisher events;

	private final ObjectProvider<FindByIndexNameSessionRepository<?>> sessions;

	private final LanguageSettings languages;

	AccountDirectory(AccountRepository accounts, ApplicationEventPublisher events,
			ObjectProvider<FindByIndexNameSessionRepository<?>> sessions, LanguageSettings languages) {
		this.accounts = accounts;
		this.events = events;
		this.sessions = sessions;
		this.languages = languages;
	}

	/** What is known about a person, if they ever signed in. */
	@Transactional(readOnly = true)
	public Optional<Profile> find(String accountId) {
		return this.accounts.findById(accountId)
			.map(a -> new Profile(a.spotifyId(), a.displayName(), a.reauthRequired(),
					(a.authorizedAt() != null) ? SignInDeadline.deadline(a.authorizedAt()) : null,
					(a.acceptLanguage() != null) ? a.acceptLanguage()
							: Languages.normalised(this.languages.defaultLanguage())));
	}

	/**
	 * Spotify refused this person's refresh token (or never saw them): only a new sign-in
	 * helps.
	 */
	@Transactional(readOnly = true)
	public boolean needsReauthorization(String accountId) {
		return this.accounts.findById(accountId).map(Account::reauthRequired).orElse(true);
	}

	/**
	 * Forgets a person: their tokens, cached library and API keys go with the account row
	 * (the schema cascades), and every session they have, on every replica (sessions live
	 * in the shared database), ends.
	 */
	@Transactional
	public void delete(String accountId) {
		this.accounts.findById(accountId).ifPresent(this.accounts::delete);
		FindByIndexNameSessionRepository<?> repository = this.sessions.getIfAvailable();
		if (repository != null) {
			repository.findByPrincipalName(accountId).keySet().forEach(repository::deleteById);
		}
		this.events.publishEvent(new AccountDeleted(accountId));
	}

	/**
	 * The language Spotify is asked to name things in for this person: theirs, or the
	 * operator's default; {@code null} for none.
	 */
	@Transactional(readOnly = true)
	public @Nullable String language(String accountId) {
		String own = this.accounts.findById(accountId).map(Account::acceptLanguage).orElse(null);
		return (own != null) ? own : Languages.normalised(this.languages.defaultLanguage());
	}

	/**
	 * Sets the person's language ({@code Accept-Language} syntax); a change is published
	 * as {@link LanguageChanged}, since every name stored so far is in the former one.
	 * @return the value stored
	 * @throws IllegalArgumentException when {@code acceptLanguage} is not a language list
	 */
	@Transactional
	public String changeLanguage(String accountId, String acceptLanguage) {
		String normalised = Languages.normalised(acceptLanguage);
		if (normalised == null) {
			throw new IllegalArgumentException("not a language list");
		}
		this.accounts.findById(accountId).ifPresent(account -> {
			if (account.speaks(normalised, java.time.Instant.now())) {
				this.events.publishEvent(new LanguageChanged(accountId));
			}
		});
		return normalised;
	}

	/**
	 * Locks a person's account row until the caller's transaction ends, so that checks
	 * and writes about them (such as counting their API keys before adding one) are not
	 * interleaved with another request's.
	 * @return whether the account exists
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean lock(String accountId) {
		return this.accounts.lockById(accountId).isPresent();
	}

	/**
	 * Published when a person's data is deleted, for features that keep something of
	 * theirs in memory.
	 */
	public record AccountDeleted(String accountId) {
	}

	/**
	 * Published when a person chose another language: names stored so far are in the
	 * former one, so the library must be read whole again.
	 */
	public record LanguageChanged(String accountId) {
	}

	/** Published when a person completed a browser sign-in (and so consented again). */
	public record SignedIn(String accountId) {
	}

	/**
	 * A person as other features may see them; {@code signInBefore} is when their
	 * authorisation at Spotify ends ({@code null}: not known).
	 */
	public record Profile(String spotifyId, @Nullable String displayName, boolean reauthorizationRequired,
			@Nullable Instant signInBefore, @Nullable String language) {
	}

}
