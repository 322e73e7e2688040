package dev.savedtracks.mcpauth.token;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.savedtracks.mcpauth.McpAuthSettings;

/**
 * Authorization codes: 256 random bits each (Spring Security's are shorter), valid for
 * {@code MCP_AUTH_CODE_LIFETIME}, and stored only as their hash like every other
 * credential.
 */
public final class AuthorizationCodes implements OAuth2TokenGenerator<OAuth2AuthorizationCode> {

	private final McpAuthSettings settings;

	private final Clock clock;

	public AuthorizationCodes(McpAuthSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public @Nullable OAuth2AuthorizationCode generate(OAuth2TokenContext context) {
		if (context.getTokenType() == null || !"code".equals(context.getTokenType().getValue())) {
			return null;
		}
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		return new OAuth2AuthorizationCode(TokenHashes.generate(""), now,
				now.plus(this.settings.authorizationCodeLifetime()));
	}

}
