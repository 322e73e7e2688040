package dev.savedtracks.account;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What other features may ask about the people who signed in. */
@Service
public class AccountDirectory {

	private final AccountRepository accounts;

	AccountDirectory(AccountRepository accounts) {
		this.accounts = accounts;
	}

	/** Spotify refused this person's refresh token (or never saw them): only a new sign-in helps. */
	@Transactional(readOnly = true)
	public boolean needsReauthorization(String accountId) {
		return this.accounts.findById(accountId).map(Account::reauthRequired).orElse(true);
	}

}
