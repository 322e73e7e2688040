package dev.savedtracks.mcpauth;

import java.security.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Grants of the MCP authorization server, in the shared database
 * ({@code mcp_authorization}) so that every replica sees them, with every credential
 * stored only as its hash (Spring Security's JDBC store keeps them in clear). A grant
 * read back holds, for the credential it was looked up by, the value presented; for the
 * others their hash marked with {@value #HASHED}, which no presented credential can
 * equal, so that Spring Security's providers, which compare values, still find the token
 * they were asked about.
 * <p>
 * Only what the providers need is kept: the authorization request (client, redirect URI,
 * scopes, PKCE challenge, resource) and the person's name; the person's Spotify profile
 * is not. Two more duties: a refresh token exchanged for a new one is remembered
 * ({@code mcp_retired_refresh_token}), and presenting it again revokes its grant (RFC
 * 9700 4.14.2); and a grant changed by two requests at once (the same code or refresh
 * token redeemed twice in parallel) is revoked rather than forked.
 */
class HashedAuthorizationService implements OAuth2AuthorizationService {

	/** Marks a credential value that is a stored hash, not the credential. */
	static final String HASHED = "#";

	static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

	/**
	 * An attribute of a grant read from the database: what its row held, so that saving
	 * it changes the row only if nobody else did meanwhile.
	 */
	private static final String LOADED = HashedAuthorizationService.class.getName() + ".loaded";

	private static final Set<String> KEPT_PARAMETERS = Set.of(PkceParameterNames.CODE_CHALLENGE,
			PkceParameterNames.CODE_CHALLENGE_METHOD, ResourceIndicators.RESOURCE);

	private static final String COLUMNS = "id, registered_client_id, principal_name, grant_type, authorized_scopes, "
			+ "resource, request, state_hash, code_hash, code_issued_at, code_expires_at, code_invalidated, "
			+ "access_hash, access_issued_at, access_expires_at, access_scopes, access_invalidated, refresh_hash, "
			+ "refresh_issued_at, refresh_expires_at, refresh_invalidated";

	private final JdbcClient jdbc;

	private final RegisteredClientRepository clients;

	private final JsonMapper json;

	private final Clock clock;

	HashedAuthorizationService(JdbcClient jdbc, RegisteredClientRepository clients, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.clients = clients;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		Row row = toRow(authorization);
		Instant now = this.clock.instant();
		Loaded loaded = authorization.getAttribute(LOADED);
		if (loaded == null) {
			int updated = update(row, now, null);
			if (updated == 0) {
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

	private void insert(Row row, Instant now) {
		this.jdbc
			.sql("insert into mcp_authorization (" + COLUMNS + ", created_at, updated_at) values "
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
	private int update(Row row, Instant now, @Nullable Loaded loaded) {
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
		return this.jdbc.sql("select " + COLUMNS + " from mcp_authorization where id = ?")
			.param(id)
			.query(HashedAuthorizationService::row)
			.optional()
			.map(row -> toAuthorization(row, null, null))
			.orElse(null);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		if (token.startsWith(HASHED) || token.length() > 512) {
			return null;
		}
		String hash = TokenHashes.hash(token);
		String column = column(tokenType);
		if (column == null && tokenType != null) {
			return null;
		}
		String where = (column != null) ? column + " = ?"
				: "state_hash = ? or code_hash = ? or access_hash = ? or refresh_hash = ?";
		Optional<Row> found = this.jdbc.sql("select " + COLUMNS + " from mcp_authorization where " + where)
			.params((column != null) ? new Object[] { hash } : new Object[] { hash, hash, hash, hash })
			.query(HashedAuthorizationService::row)
			.optional();
		if (found.isPresent()) {
			return toAuthorization(found.get(), hash, token);
		}
		if (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			revokeIfRetired(hash);
		}
		return null;
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

	private static @Nullable String column(@Nullable OAuth2TokenType tokenType) {
		if (tokenType == null) {
			return null;
		}
		if (STATE.equals(tokenType)) {
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

	private Row toRow(OAuth2Authorization authorization) {
		OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
		String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
		OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
		OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
		String resource = (request != null
				&& request.getAdditionalParameters().get(ResourceIndicators.RESOURCE) instanceof String value) ? value
						: null;
		return new Row(authorization.getId(), authorization.getRegisteredClientId(), authorization.getPrincipalName(),
				authorization.getAuthorizationGrantType().getValue(), join(authorization.getAuthorizedScopes()),
				resource, (request != null) ? writeRequest(request) : null, (state != null) ? hashOf(state) : null,
				(code != null) ? hashOf(code.getToken().getTokenValue()) : null, issuedAt(code), expiresAt(code),
				code != null && code.isInvalidated(),
				(access != null) ? hashOf(access.getToken().getTokenValue()) : null, issuedAt(access),
				expiresAt(access), (access != null) ? join(access.getToken().getScopes()) : null,
				access != null && access.isInvalidated(),
				(refresh != null) ? hashOf(refresh.getToken().getTokenValue()) : null, issuedAt(refresh),
				expiresAt(refresh), refresh != null && refresh.isInvalidated());
	}

	private @Nullable OAuth2Authorization toAuthorization(Row row, @Nullable String presentedHash,
			@Nullable String presented) {
		RegisteredClient client = this.clients.findById(row.clientId());
		if (client == null) {
			return null;
		}
		OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
			.id(row.id())
			.principalName(row.principalName())
			.authorizationGrantType(new AuthorizationGrantType(row.grantType()))
			.authorizedScopes(split(row.scopes()))
			.attribute(Principal.class.getName(),
					UsernamePasswordAuthenticationToken.authenticated(row.principalName(), null, List.of()))
			.attribute(LOADED, new Loaded(row.refreshHash(), row.codeInvalidated()));
		if (row.request() != null) {
			builder.attribute(OAuth2AuthorizationRequest.class.getName(), readRequest(row.request()));
		}
		if (row.stateHash() != null) {
			builder.attribute(OAuth2ParameterNames.STATE, value(row.stateHash(), presentedHash, presented));
		}
		if (row.codeHash() != null) {
			builder.token(
					new OAuth2AuthorizationCode(value(row.codeHash(), presentedHash, presented), row.codeIssuedAt(),
							row.codeExpiresAt()),
					metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
							row.codeInvalidated()));
		}
		if (row.accessHash() != null) {
			builder.token(
					new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
							value(row.accessHash(), presentedHash, presented), row.accessIssuedAt(),
							row.accessExpiresAt(), split(row.accessScopes())),
					metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
							row.accessInvalidated()));
		}
		if (row.refreshHash() != null) {
			builder.token(
					new OAuth2RefreshToken(value(row.refreshHash(), presentedHash, presented), row.refreshIssuedAt(),
							row.refreshExpiresAt()),
					metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
							row.refreshInvalidated()));
		}
		return builder.build();
	}

	/** The presented credential where this is its hash, else the marked hash. */
	private static String value(String storedHash, @Nullable String presentedHash, @Nullable String presented) {
		return (presented != null && presentedHash != null && TokenHashes.sameHash(storedHash, presentedHash))
				? presented : HASHED + storedHash;
	}

	private static String hashOf(String value) {
		return value.startsWith(HASHED) ? value.substring(HASHED.length()) : TokenHashes.hash(value);
	}

	private String writeRequest(OAuth2AuthorizationRequest request) {
		Map<String, String> kept = new LinkedHashMap<>();
		request.getAdditionalParameters().forEach((name, value) -> {
			if (KEPT_PARAMETERS.contains(name) && value instanceof String text) {
				kept.put(name, text);
			}
		});
		return this.json.writeValueAsString(new StoredRequest(request.getAuthorizationUri(), request.getClientId(),
				request.getRedirectUri(), request.getScopes(), request.getState(), kept));
	}

	private OAuth2AuthorizationRequest readRequest(String stored) {
		StoredRequest request = this.json.readValue(stored, StoredRequest.class);
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(request.authorizationUri())
			.clientId(request.clientId())
			.redirectUri(request.redirectUri())
			.scopes(request.scopes())
			.state(request.state())
			.additionalParameters(Map.copyOf(request.parameters()))
			.build();
	}

	private static @Nullable Instant issuedAt(OAuth2Authorization.@Nullable Token<? extends OAuth2Token> token) {
		return (token != null) ? token.getToken().getIssuedAt() : null;
	}

	private static @Nullable Instant expiresAt(OAuth2Authorization.@Nullable Token<? extends OAuth2Token> token) {
		return (token != null) ? token.getToken().getExpiresAt() : null;
	}

	private static @Nullable String join(@Nullable Set<String> scopes) {
		return (scopes == null || scopes.isEmpty()) ? null : String.join(" ", scopes);
	}

	private static Set<String> split(@Nullable String scopes) {
		return (scopes == null || scopes.isBlank()) ? Set.of()
				: Arrays.stream(scopes.split(" ")).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static @Nullable Timestamp ts(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static Row row(ResultSet rs, int i) throws SQLException {
		return new Row(rs.getString("id"), rs.getString("registered_client_id"), rs.getString("principal_name"),
				rs.getString("grant_type"), rs.getString("authorized_scopes"), rs.getString("resource"),
				rs.getString("request"), rs.getString("state_hash"), rs.getString("code_hash"),
				instant(rs, "code_issued_at"), instant(rs, "code_expires_at"), rs.getBoolean("code_invalidated"),
				rs.getString("access_hash"), instant(rs, "access_issued_at"), instant(rs, "access_expires_at"),
				rs.getString("access_scopes"), rs.getBoolean("access_invalidated"), rs.getString("refresh_hash"),
				instant(rs, "refresh_issued_at"), instant(rs, "refresh_expires_at"),
				rs.getBoolean("refresh_invalidated"));
	}

	/** A grant as stored: hashes, never credentials. */
	private record Row(String id, String clientId, String principalName, String grantType, @Nullable String scopes,
			@Nullable String resource, @Nullable String request, @Nullable String stateHash, @Nullable String codeHash,
			@Nullable Instant codeIssuedAt, @Nullable Instant codeExpiresAt, boolean codeInvalidated,
			@Nullable String accessHash, @Nullable Instant accessIssuedAt, @Nullable Instant accessExpiresAt,
			@Nullable String accessScopes, boolean accessInvalidated, @Nullable String refreshHash,
			@Nullable Instant refreshIssuedAt, @Nullable Instant refreshExpiresAt, boolean refreshInvalidated) {
	}

	/** What a grant's row held when it was read. */
	private record Loaded(@Nullable String refreshHash, boolean codeInvalidated) {
	}

	/** The parts of an authorization request that the token endpoint checks. */
	record StoredRequest(String authorizationUri, String clientId, @Nullable String redirectUri, Set<String> scopes,
			@Nullable String state, Map<String, String> parameters) {
	}

}
