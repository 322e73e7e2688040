package dev.savedtracks.mcpauth.client;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which redirect URIs a client may register, with and without private-use schemes
 * allowed, and where the consent page says an app is from: pure decisions.
 */
class RedirectUrisTest {

	private static final RedirectUris webAndLoopback = new RedirectUris(List.of());

	private static final RedirectUris withCursor = new RedirectUris(List.of("cursor"));

	@ParameterizedTest
	@ValueSource(strings = { "https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1:33418/",
			"http://localhost:6274/callback", "http://[::1]:8080/cb" })
	void httpsAndLoopbackRedirectUrisMayBeRegistered(String uri) {
		assertThat(webAndLoopback.problem(uri)).isNull();
		assertThat(withCursor.problem(uri)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://evil.example/cb", "cursor://anysphere.cursor-mcp/oauth/callback",
			"https://a.example/cb#x", "https://user@a.example/cb", "/relative", "javascript:alert(1)",
			"data:text/html,x", "file:///etc/passwd" })
	void otherRedirectUrisMayNot(String uri) {
		assertThat(webAndLoopback.problem(uri)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "cursor://anysphere.cursor-mcp/oauth/callback", "CURSOR://anysphere.cursor-mcp/cb",
			"cursor:/oauth/callback" })
	void aSchemeTheOperatorAllowedMayBeRegistered(String uri) {
		assertThat(withCursor.problem(uri)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "vscode://vscode.github-authentication/did-authenticate", "cursor:opaque",
			"cursor://anysphere.cursor-mcp/cb#fragment", "cursor://user@anysphere.cursor-mcp/cb",
			"http://evil.example/cb", "javascript:alert(1)" })
	void otherSchemesAndMalformedOnesStayRefused(String uri) {
		assertThat(withCursor.problem(uri)).isNotNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "https://claude.ai/api/mcp/auth_callback|claude.ai", "http://127.0.0.1:9/cb|127.0.0.1",
					"cursor://anysphere.cursor-mcp/oauth/callback|cursor://anysphere.cursor-mcp",
					"com.example.app:/oauth2redirect|com.example.app:" })
	void whereAnAppIsFromIsWhereItsCodesGo(String redirectUri, String from) {
		assertThat(RedirectUris.whereFrom("random-id", false, redirectUri)).isEqualTo(from);
	}

	@org.junit.jupiter.api.Test
	void everyPlaceAnAppGetsCodesIsNamedOnce() {
		assertThat(RedirectUris.whereFrom("random-id", false,
				"cursor://anysphere.cursor-mcp/oauth/callback,https://www.cursor.com/agents/mcp/oauth/callback,"
						+ "http://localhost:8787/callback,http://localhost:9999/other"))
			.isEqualTo("cursor://anysphere.cursor-mcp, www.cursor.com, localhost");
		assertThat(RedirectUris.whereFrom("https://agent.example/client.json", true, "http://127.0.0.1/cb"))
			.isEqualTo("agent.example");
	}

}
