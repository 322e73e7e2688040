package dev.savedtracks.apikey;

import java.util.List;
import java.util.Map;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * Lets Spring Security's bearer-token support (RFC 6750 parsing, stateless
 * authentication, CSRF exemption) accept our API keys: a valid key becomes a principal
 * named by the Spotify id of its owner, the same name a browser session has, so every
 * endpoint and the token-refresh path treat both credentials alike.
 */
@Component
class ApiKeyIntrospector implements OpaqueTokenIntrospector {

	static final String AUTHORITY = "API_KEY";

	private final ApiKeys keys;

	ApiKeyIntrospector(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		String accountId = this.keys.authenticate(token)
			// One message for unknown, revoked and expired keys: the answer must not tell
			// them apart.
			.orElseThrow(() -> new BadOpaqueTokenException("Invalid API key"));
		return new DefaultOAuth2AuthenticatedPrincipal(accountId, Map.of("sub", accountId),
				List.of(new SimpleGrantedAuthority(AUTHORITY)));
	}

}
