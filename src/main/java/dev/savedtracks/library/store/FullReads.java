package dev.savedtracks.library.store;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes a library's copy due for a full read at its next sync, and its next read sync at
 * once: for changes that touch every stored track (the person's language).
 */
@Component
public class FullReads {

	private final JdbcClient jdbc;

	FullReads(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The next sync of the person's library reads it whole, and the next read syncs. */
	public void dueNow(String accountId) {
		this.jdbc.sql("update library set full_synced_at = null, checked_at = null where account_id = ?")
			.param(accountId)
			.update();
	}

}
