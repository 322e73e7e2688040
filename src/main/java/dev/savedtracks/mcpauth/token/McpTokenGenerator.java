package dev.savedtracks.mcpauth.token;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.ResourceIndicators;

/**
 * The MCP endpoint's tokens: opaque (random, looked up by hash in the shared database, so
 * that every replica validates them with one indexed query and a revoked one stops at
 * once, with no signing key to share or rotate), prefixed so that they are recognised in
 * a request and by secret scanners: {@value #ACCESS_PREFIX} for access tokens,
 * {@value #REFRESH_PREFIX} for refresh tokens. Refresh tokens are issued to public
 * clients too (Spring Security's generator does not): every refresh replaces the refresh
 * token, and the old one, presented again, revokes the grant. A token request that names
 * another {@code resource} than its grant is refused ({@code invalid_target}).
 */
public final class McpTokenGenerator implements OAuth2TokenGenerator<OAuth2Token> {

	public static final String ACCESS_PREFIX = "sta_";

	static final String REFRESH_PREFIX = "str_";

	private final McpAuthSettings settings;

	private final Clock clock;

	public McpTokenGenerator(McpAuthSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public @Nullable OAuth2Token generate(OAuth2TokenContext context) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			checkResource(context);
			return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, TokenHashes.generate(ACCESS_PREFIX), now,
					now.plus(this.settings.accessTokenLifetime()), context.getAuthorizedScopes());
		}
		if (OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType()) && context.getRegisteredClient()
			.getAuthorizationGrantTypes()
			.contains(AuthorizationGrantType.REFRESH_TOKEN)) {
			return new OAuth2RefreshToken(TokenHashes.generate(REFRESH_PREFIX), now,
					now.plus(this.settings.refreshTokenLifetime()));
		}
		return null;
	}

	private static void checkResource(OAuth2TokenContext context) {
		if (!(context.getAuthorizationGrant() instanceof OAuth2AuthorizationGrantAuthenticationToken grant)
				|| context.getAuthorization() == null) {
			return;
		}
		Object asked = grant.getAdditionalParameters().get(ResourceIndicators.RESOURCE);
		OAuth2AuthorizationRequest request = context.getAuthorization()
			.getAttribute(OAuth2AuthorizationRequest.class.getName());
		Object granted = (request != null) ? request.getAdditionalParameters().get(ResourceIndicators.RESOURCE) : null;
		if (asked != null && (!(granted instanceof String resource) || !ResourceIndicators.matches(asked, resource))) {
			throw new OAuth2AuthenticationException(new OAuth2Error(ResourceIndicators.INVALID_TARGET,
					"The resource differs from the one this grant is for.", null));
		}
	}

}
