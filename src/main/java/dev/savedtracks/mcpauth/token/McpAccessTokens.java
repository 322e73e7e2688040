package dev.savedtracks.mcpauth.token;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.ResourceIndicators;

/**
 * Checks the access tokens of the MCP authorization server where they are used: one
 * indexed query by the token's hash (nothing cached, so a revoked grant stops at once on
 * every replica), then the token must be live and issued for the resource the request is
 * for (RFC 8707: a token for {@code /mcp} works at {@code /mcp} only). The person it
 * authenticates is named by their account id, as an API key's is, so every per-person
 * rule (the tools' caller, limits per caller) treats both alike.
 */
public final class McpAccessTokens implements AuthenticationManagerResolver<HttpServletRequest> {

	/** The authority every OAuth access token carries, beside its scopes. */
	static final String AUTHORITY = "MCP_OAUTH_TOKEN";

	private final JdbcClient jdbc;

	private final McpAuthSettings settings;

	private final Clock clock;

	public McpAccessTokens(JdbcClient jdbc, McpAuthSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		String expected = ResourceIndicators.resourceOf(request, issuer(request));
		return authentication -> {
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			Granted granted = find(token).orElseThrow(McpAccessTokens::invalid);
			Instant now = this.clock.instant();
			if (granted.invalidated() || granted.expiresAt() == null || !now.isBefore(granted.expiresAt())
					|| !ResourceIndicators.matches(granted.resource(), expected)) {
				throw invalid();
			}
			Collection<GrantedAuthority> authorities = new ArrayList<>();
			authorities.add(new SimpleGrantedAuthority(AUTHORITY));
			granted.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
			DefaultOAuth2AuthenticatedPrincipal principal = new DefaultOAuth2AuthenticatedPrincipal(granted.accountId(),
					Map.of("sub", granted.accountId(), "client_id", granted.clientId(), "aud", List.of(expected)),
					authorities);
			OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token,
					granted.issuedAt(), granted.expiresAt());
			return new BearerTokenAuthentication(principal, accessToken, authorities);
		};
	}

	/** Same answer for unknown, expired, revoked and foreign tokens. */
	private static InvalidBearerTokenException invalid() {
		return new InvalidBearerTokenException("Invalid access token");
	}

	private String issuer(HttpServletRequest request) {
		return this.settings.issuer().isEmpty()
				? ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString()
				: this.settings.issuer();
	}

	private Optional<Granted> find(String token) {
		if (!token.startsWith(McpTokenGenerator.ACCESS_PREFIX) || token.length() > 100) {
			return Optional.empty();
		}
		return this.jdbc
			.sql("select a.principal_name, c.client_id, a.resource, a.access_scopes, a.access_issued_at, "
					+ "a.access_expires_at, a.access_invalidated from mcp_authorization a "
					+ "join oauth2_registered_client c on c.id = a.registered_client_id where a.access_hash = ?")
			.param(TokenHashes.hash(token))
			.query((rs, i) -> new Granted(rs.getString(1), rs.getString(2), rs.getString(3),
					(rs.getString(4) != null) ? List.of(rs.getString(4).split(" ")) : List.of(),
					instant(rs.getObject(5, OffsetDateTime.class)), instant(rs.getObject(6, OffsetDateTime.class)),
					rs.getBoolean(7)))
			.optional();
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	private record Granted(String accountId, String clientId, @Nullable String resource, List<String> scopes,
			@Nullable Instant issuedAt, @Nullable Instant expiresAt, boolean invalidated) {
	}

}
