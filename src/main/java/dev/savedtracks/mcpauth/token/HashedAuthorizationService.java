package dev.savedtracks.mcpauth.token;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.savedtracks.mcpauth.token.GrantMapping.Loaded;

/**
 * Stores the grants of the MCP authorization server in the shared database
 * ({@code mcp_authorization}), so that every replica sees them, with every credential
 * only as its hash (Spring Security's JDBC store keeps them in clear;
 * {@link GrantMapping} translates). Storing rotating credentials includes two rules: a
 * refresh token exchanged for a new one is remembered
 * ({@code mcp_retired_refresh_token}), and presenting it again revokes its grant (RFC
 * 9700 4.14.2); and a grant changed by two requests at once (the same code or refresh
 * token redeemed twice in parallel) is revoked rather than forked.
 */
public class HashedAuthorizationService implements OAuth2AuthorizationService {

	private final JdbcClient jdbc;

	private final RegisteredClientRepository clients;

	private final GrantMapping mapping;

	private final Clock clock;

	public HashedAuthorizationService(JdbcClient jdbc, RegisteredClientRepository clients, JsonMapper json,
			Clock clock) {
		this.jdbc = jdbc;
		this.clients = clients;
		this.mapping = new GrantMapping(json);
		this.clock = clock;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		GrantRow row = this.mapping.toRow(authorization);
		Instant now = this.clock.instant();
		Loaded loaded = authorization.getAttribute(GrantMapping.LOADED);
		if (loaded == null) {
			if (update(row, now, null) == 0) {
				insert(row, now);
			}
		}
		else {
			if (update(row, now, loaded) == 0) {
				// Another request changed the grant since it was read: the same code or
				// refresh token was redeemed twice at once. Neither copy may live on.
				remove(authorization);
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
			}
			if (loaded.refreshHash() != null && !loaded.refreshHash().equals(row.refreshHash())) {
				this.jdbc
					.sql("insert into mcp_retired_refresh_token (token_hash, authorization_id, retired_at) "
							+ "values (?, ?, ?)")
					.params(loaded.refreshHash(), row.id(), Timestamp.from(now))
					.update();
			}
		}
		if (row.codeHash() != null) {
			this.jdbc
				.sql("update oauth2_registered_client set authorized_at = ? where id = ? and "
						+ "(authorized_at is null or authorized_at < ?)")
				.params(Timestamp.from(now), row.clientId(), Timestamp.from(now.minusSeconds(3600)))
				.update();
		}
	}

	private void insert(GrantRow row, Instant now) {
		this.jdbc
			.sql("insert into mcp_authorization (" + GrantRow.COLUMNS + ", created_at, updated_at) values "
					+ "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(row.id(), row.clientId(), row.principalName(), row.grantType(), row.scopes(), row.resource(),
					row.request(), row.stateHash(), row.codeHash(), ts(row.codeIssuedAt()), ts(row.codeExpiresAt()),
					row.codeInvalidated(), row.accessHash(), ts(row.accessIssuedAt()), ts(row.accessExpiresAt()),
					row.accessScopes(), row.accessInvalidated(), row.refreshHash(), ts(row.refreshIssuedAt()),
					ts(row.refreshExpiresAt()), row.refreshInvalidated(), Timestamp.from(now), Timestamp.from(now))
			.update();
	}

	/**
	 * Writes the row; with {@code loaded}, only if it still holds what it held when read.
	 */
	private int update(GrantRow row, Instant now, @Nullable Loaded loaded) {
		String condition = (loaded != null) ? " and coalesce(refresh_hash, '') = ? and code_invalidated = ?" : "";
		var statement = this.jdbc
			.sql("update mcp_authorization set authorized_scopes = ?, resource = ?, request = ?, "
					+ "state_hash = ?, code_hash = ?, code_issued_at = ?, code_expires_at = ?, code_invalidated = ?, "
					+ "access_hash = ?, access_issued_at = ?, access_expires_at = ?, access_scopes = ?, "
					+ "access_invalidated = ?, refresh_hash = ?, refresh_issued_at = ?, refresh_expires_at = ?, "
					+ "refresh_invalidated = ?, updated_at = ? where id = ?" + condition)
			.params(row.scopes(), row.resource(), row.request(), row.stateHash(), row.codeHash(),
					ts(row.codeIssuedAt()), ts(row.codeExpiresAt()), row.codeInvalidated(), row.accessHash(),
					ts(row.accessIssuedAt()), ts(row.accessExpiresAt()), row.accessScopes(), row.accessInvalidated(),
					row.refreshHash(), ts(row.refreshIssuedAt()), ts(row.refreshExpiresAt()), row.refreshInvalidated(),
					Timestamp.from(now), row.id());
		if (loaded != null) {
			statement = statement.params((loaded.refreshHash() != null) ? loaded.refreshHash() : "",
					loaded.codeInvalidated());
		}
		return statement.update();
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.jdbc.sql("delete from mcp_authorization where id = ?").param(authorization.getId()).update();
	}

	@Override
	public @Nullable OAuth2Authorization findById(String id) {
		return this.jdbc.sql("select " + GrantRow.COLUMNS + " from mcp_authorization where id = ?")
			.param(id)
			.query(GrantRow::read)
			.optional()
			.map(row -> toAuthorization(row, null, null))
			.orElse(null);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		if (token.startsWith(GrantMapping.HASHED) || token.length() > 512) {
			return null;
		}
		String hash = TokenHashes.hash(token);
		String column = GrantRow.hashColumn(tokenType);
		if (column == null && tokenType != null) {
			return null;
		}
		String where = (column != null) ? column + " = ?"
				: "state_hash = ? or code_hash = ? or access_hash = ? or refresh_hash = ?";
		Optional<GrantRow> found = this.jdbc
			.sql("select " + GrantRow.COLUMNS + " from mcp_authorization where " + where)
			.params((column != null) ? new Object[] { hash } : new Object[] { hash, hash, hash, hash })
			.query(GrantRow::read)
			.optional();
		if (found.isPresent()) {
			return toAuthorization(found.get(), hash, token);
		}
		if (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			revokeIfRetired(hash);
		}
		return null;
	}

	private @Nullable OAuth2Authorization toAuthorization(GrantRow row, @Nullable String presentedHash,
			@Nullable String presented) {
		RegisteredClient client = this.clients.findById(row.clientId());
		return (client != null) ? this.mapping.toAuthorization(row, client, presentedHash, presented) : null;
	}

	/**
	 * A refresh token that was already exchanged is presented again: it leaked (or the
	 * client is broken), and the whole grant is revoked (RFC 9700 4.14.2).
	 */
	private void revokeIfRetired(String hash) {
		this.jdbc.sql("select authorization_id from mcp_retired_refresh_token where token_hash = ?")
			.param(hash)
			.query(String.class)
			.optional()
			.ifPresent(id -> this.jdbc.sql("delete from mcp_authorization where id = ?").param(id).update());
	}

	private static @Nullable Timestamp ts(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
