package dev.savedtracks.mcpauth.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.savedtracks.mcpauth.client.RedirectUris;

/**
 * The apps a person allowed to read their library through the MCP endpoint: their
 * remembered consents, and revoking one (the consent and every token of that app for that
 * person go at once, on every replica).
 */
@Service
public class ConnectedApps {

	private final JdbcClient jdbc;

	ConnectedApps(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public List<ConnectedApp> list(String accountId) {
		return this.jdbc.sql("select c.id, c.client_name, c.client_id, c.metadata_document, c.redirect_uris, "
				+ "con.authorities, con.granted_at, (select max(a.updated_at) from mcp_authorization a "
				+ "where a.principal_name = con.principal_name and a.registered_client_id = c.id) "
				+ "from oauth2_authorization_consent con join oauth2_registered_client c on c.id = con.registered_client_id "
				+ "where con.principal_name = ? order by con.granted_at desc, c.id")
			.param(accountId)
			.query((rs, i) -> new ConnectedApp(rs.getString(1), rs.getString(2),
					RedirectUris.whereFrom(rs.getString(3), rs.getBoolean(4), rs.getString(5)),
					List.of(rs.getString(6).replace("SCOPE_", "").split(",")),
					instant(rs.getObject(7, OffsetDateTime.class)), instant(rs.getObject(8, OffsetDateTime.class))))
			.list();
	}

	@Transactional
	public boolean revoke(String accountId, String id) {
		this.jdbc.sql("delete from mcp_authorization where principal_name = ? and registered_client_id = ?")
			.params(accountId, id)
			.update();
		return this.jdbc
			.sql("delete from oauth2_authorization_consent where principal_name = ? and registered_client_id = ?")
			.params(accountId, id)
			.update() > 0;
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * An app as listed: its name as it gave it, where it is from (its redirect host or
	 * metadata URL), what it may read, since when, and when it last got a token.
	 */
	public record ConnectedApp(String id, String name, String from, List<String> scopes, @Nullable Instant connectedAt,
			@Nullable Instant lastTokenAt) {
	}

}
