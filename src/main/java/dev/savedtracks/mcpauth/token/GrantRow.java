package dev.savedtracks.mcpauth.token;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * A grant as its {@code mcp_authorization} row holds it: hashes, never credentials.
 */
record GrantRow(String id, String clientId, String principalName, String grantType, @Nullable String scopes,
		@Nullable String resource, @Nullable String request, @Nullable String stateHash, @Nullable String codeHash,
		@Nullable Instant codeIssuedAt, @Nullable Instant codeExpiresAt, boolean codeInvalidated,
		@Nullable String accessHash, @Nullable Instant accessIssuedAt, @Nullable Instant accessExpiresAt,
		@Nullable String accessScopes, boolean accessInvalidated, @Nullable String refreshHash,
		@Nullable Instant refreshIssuedAt, @Nullable Instant refreshExpiresAt, boolean refreshInvalidated) {

	/** The columns, in the order of this record's components. */
	static final String COLUMNS = "id, registered_client_id, principal_name, grant_type, authorized_scopes, "
			+ "resource, request, state_hash, code_hash, code_issued_at, code_expires_at, code_invalidated, "
			+ "access_hash, access_issued_at, access_expires_at, access_scopes, access_invalidated, refresh_hash, "
			+ "refresh_issued_at, refresh_expires_at, refresh_invalidated";

	static GrantRow read(ResultSet rs, int i) throws SQLException {
		return new GrantRow(rs.getString("id"), rs.getString("registered_client_id"), rs.getString("principal_name"),
				rs.getString("grant_type"), rs.getString("authorized_scopes"), rs.getString("resource"),
				rs.getString("request"), rs.getString("state_hash"), rs.getString("code_hash"),
				instant(rs, "code_issued_at"), instant(rs, "code_expires_at"), rs.getBoolean("code_invalidated"),
				rs.getString("access_hash"), instant(rs, "access_issued_at"), instant(rs, "access_expires_at"),
				rs.getString("access_scopes"), rs.getBoolean("access_invalidated"), rs.getString("refresh_hash"),
				instant(rs, "refresh_issued_at"), instant(rs, "refresh_expires_at"),
				rs.getBoolean("refresh_invalidated"));
	}

	/** The column that holds the hash of a credential of this type, if one does. */
	static @Nullable String hashColumn(@Nullable OAuth2TokenType tokenType) {
		if (tokenType == null) {
			return null;
		}
		if (OAuth2ParameterNames.STATE.equals(tokenType.getValue())) {
			return "state_hash";
		}
		if (OAuth2ParameterNames.CODE.equals(tokenType.getValue())) {
			return "code_hash";
		}
		if (OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
			return "access_hash";
		}
		if (OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			return "refresh_hash";
		}
		return null;
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
