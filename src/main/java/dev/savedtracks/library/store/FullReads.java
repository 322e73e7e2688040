package dev.savedtracks.library.store;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Full reads of a library outside the sync itself: making the copy due for one (changes
 * that touch every stored track, such as the person's language), and giving back a full
 * sync of the daily allowance when it failed.
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

	/**
	 * A full sync failed (Spotify unavailable, a network fault): it is not counted
	 * against the day's allowance, so that a flaky Spotify does not use it up.
	 */
	public void refund(String accountId) {
		this.jdbc.sql("update library set full_syncs = full_syncs - 1 where account_id = ? and full_syncs > 0")
			.param(accountId)
			.update();
	}

}
