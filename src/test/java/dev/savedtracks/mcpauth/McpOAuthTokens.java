package dev.savedtracks.mcpauth;

import dev.savedtracks.BrowserSession;

/**
 * An OAuth access token for {@code /mcp}, as a public client gets it (registration,
 * sign-in, consent, PKCE), for tests and benchmarks outside this package.
 */
public final class McpOAuthTokens {

	private McpOAuthTokens() {
	}

	/** A new client's access token for the person {@code userId} of the emulator. */
	public static String accessToken(String appUrl, String userId) {
		OAuthClients.Client client = OAuthClients.register(appUrl, "https://claude.ai/api/mcp/auth_callback", "none");
		return OAuthClients.tokensFor(new BrowserSession(appUrl), userId, client).get("access_token").asString();
	}

}
