package dev.savedtracks.mcpauth.token;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.savedtracks.mcpauth.McpAuthSettings;

/**
 * Removes what can no longer be used, every few minutes on every replica (the deletes are
 * idempotent): grants whose every credential has expired, grants that never got past the
 * consent page, and clients that no person authorized (or that lost their last consent
 * and grant) within {@code MCP_AUTH_PENDING_CLIENT_LIFETIME}.
 */
@Component
class AuthorizationServerCleanup {

	/** How long an unanswered consent page (a grant without any token) is kept. */
	private static final Duration UNFINISHED = Duration.ofMinutes(30);

	private final JdbcClient jdbc;

	private final McpAuthSettings settings;

	private final Clock clock;

	AuthorizationServerCleanup(JdbcClient jdbc, McpAuthSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT5M")
	void clean() {
		removeExpired(this.clock.instant());
	}

	void removeExpired(Instant now) {
		Timestamp at = Timestamp.from(now);
		this.jdbc
			.sql("delete from mcp_authorization where (refresh_hash is not null and refresh_expires_at < ?) "
					+ "or (refresh_hash is null and access_hash is not null and access_expires_at < ?) "
					+ "or (access_hash is null and refresh_hash is null and updated_at < ?)")
			.params(at, at, Timestamp.from(now.minus(UNFINISHED)))
			.update();
		Timestamp before = Timestamp.from(now.minus(this.settings.pendingClientLifetime()));
		this.jdbc
			.sql("delete from oauth2_registered_client c where coalesce(c.authorized_at, c.client_id_issued_at) < ? "
					+ "and not exists (select 1 from oauth2_authorization_consent con where con.registered_client_id = c.id) "
					+ "and not exists (select 1 from mcp_authorization a where a.registered_client_id = c.id)")
			.param(before)
			.update();
	}

}
