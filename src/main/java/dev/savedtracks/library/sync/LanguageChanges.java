package dev.savedtracks.library.sync;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.store.FullReads;

/**
 * A person chose another language: every name stored so far is in the former one, so
 * their library is read whole again at its next sync, which the next read starts.
 */
@Component
class LanguageChanges {

	private final FullReads fullReads;

	LanguageChanges(FullReads fullReads) {
		this.fullReads = fullReads;
	}

	@EventListener
	void changed(AccountDirectory.LanguageChanged changed) {
		this.fullReads.dueNow(changed.accountId());
	}

}
