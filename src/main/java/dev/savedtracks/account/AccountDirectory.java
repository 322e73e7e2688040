package dev.savedtracks.account;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What other features may ask about, or do to, the people who signed in. */
@Service
public class AccountDirectory {

	private final AccountRepository accounts;

	private final ApplicationEventPublisher events;

	AccountDirectory(AccountRepository accounts, ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.events = events;
	}

	/** What is known about a person, if they ever signed in. */
	@Transactional(readOnly = true)
	public Optional<Profile> find(String accountId) {
		return this.accounts.findById(accountId)
			.map(a -> new Profile(a.spotifyId(), a.displayName(), a.reauthRequired()));
	}

	/** Spotify refused this person's refresh token (or never saw them): only a new sign-in helps. */
	@Transactional(readOnly = true)
	public boolean needsReauthorization(String accountId) {
		return this.accounts.findById(accountId).map(Account::reauthRequired).orElse(true);
	}

	/**
	 * Forgets a person: their tokens, cached library and API keys go with the account row (the schema cascades).
	 */
	@Transactional
	public void delete(String accountId) {
		this.accounts.findById(accountId).ifPresent(this.accounts::delete);
		this.events.publishEvent(new AccountDeleted(accountId));
	}

	/** Published when a person's data is deleted, for features that keep something of theirs in memory. */
	public record AccountDeleted(String accountId) {
	}

	/** A person as other features may see them. */
	public record Profile(String spotifyId, @Nullable String displayName, boolean reauthorizationRequired) {
	}

}
