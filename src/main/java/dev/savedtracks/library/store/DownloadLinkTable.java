package dev.savedtracks.library.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code download_link} table: which person's library, in which format, a link's
 * token hash opens, and until when. Shared by every replica, and emptied for a person by
 * "delete my data" (its rows go with the account).
 */
@Repository
public class DownloadLinkTable {

	private final JdbcClient jdbc;

	DownloadLinkTable(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Stores a link, and forgets the links expired before {@code now}. */
	public void insert(String tokenHash, String accountId, String format, Instant expiresAt, Instant now) {
		this.jdbc.sql("delete from download_link where expires_at < ?").param(Timestamp.from(now)).update();
		this.jdbc.sql("insert into download_link (token_hash, account_id, format, expires_at) values (?, ?, ?, ?)")
			.params(tokenHash, accountId, format, Timestamp.from(expiresAt))
			.update();
	}

	/** The link of {@code tokenHash}, if it exists and has not expired at {@code now}. */
	public Optional<Link> find(String tokenHash, Instant now) {
		return this.jdbc.sql("select account_id, format from download_link where token_hash = ? and expires_at > ?")
			.params(tokenHash, Timestamp.from(now))
			.query((rs, row) -> new Link(rs.getString("account_id"), rs.getString("format")))
			.optional();
	}

	/** Whose library a link opens, and in which format. */
	public record Link(String accountId, String format) {
	}

}
