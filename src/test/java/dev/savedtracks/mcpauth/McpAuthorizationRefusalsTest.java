package dev.savedtracks.mcpauth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.mcpauth.OAuthClients.Client;

import static dev.savedtracks.mcpauth.OAuthClients.challenge;
import static dev.savedtracks.mcpauth.OAuthClients.verifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the MCP endpoint's authorization server refuses, over HTTP, with what a
 * well-behaved client never sends: no PKCE or plain PKCE, an unregistered redirect URI,
 * another resource (at the authorization and token endpoints, and a token bound to
 * another one at {@code /mcp}), a client metadata document at a private address, and a
 * consent without its CSRF token.
 */
class McpAuthorizationRefusalsTest extends EmulatedSpotifyTest {

	private static final String REDIRECT = "http://127.0.0.1:9/callback";

	@Test
	void requestsWithoutS256PkceOrWithAnUnregisteredRedirectOrAnotherResourceAreRefused() {
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		Client confidential = OAuthClients.register(appUrl(), "https://agent.example/callback", "client_secret_basic");
		BrowserSession browser = signedIn(newUser(1));
		String verifier = verifier();

		HttpResponse<String> noPkce = browser.get(OAuthClients.authorizeUrl(appUrl(), client.id(), REDIRECT, Map.of()),
				"text/html");
		HttpResponse<String> noPkceConfidential = browser.get(
				OAuthClients.authorizeUrl(appUrl(), confidential.id(), confidential.redirectUri(), Map.of()),
				"text/html");
		HttpResponse<String> plain = browser.get(OAuthClients.authorizeUrl(appUrl(), client.id(), REDIRECT,
				Map.of("code_challenge", verifier, "code_challenge_method", "plain")), "text/html");
		HttpResponse<String> otherRedirect = browser
			.get(OAuthClients.authorizeUrl(appUrl(), client.id(), "https://evil.example/callback",
					Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256")), "text/html");
		HttpResponse<String> otherResource = browser.get(
				OAuthClients.authorizeUrl(appUrl(), client.id(), REDIRECT, Map.of("code_challenge", challenge(verifier),
						"code_challenge_method", "S256", "resource", "https://other.example/mcp")),
				"text/html");
		HttpResponse<String> badRegistration = OAuthClients.post(appUrl() + "/oauth2/register", "application/json",
				"{\"client_name\":\"x\",\"redirect_uris\":[\"http://evil.example/cb\"]}");

		assertThat(noPkce.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT)
			.contains("error=invalid_request");
		assertThat(noPkceConfidential.headers().firstValue("Location").orElseThrow())
			.startsWith(confidential.redirectUri())
			.contains("error=invalid_request");
		assertThat(plain.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT)
			.contains("error=invalid_request");
		assertThat(otherRedirect.statusCode()).isEqualTo(400);
		assertThat(otherRedirect.headers().firstValue("Location")).isEmpty();
		assertThat(otherResource.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT)
			.contains("error=invalid_target");
		assertThat(badRegistration.statusCode()).isEqualTo(400);
		assertThat(badRegistration.body()).contains("invalid_redirect_uri");
	}

	@Test
	void aTokenRequestNamingAnotherResourceIsRefused() {
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		BrowserSession browser = new BrowserSession(appUrl());
		JsonNode tokens = OAuthClients.tokensFor(browser, newUser(1).id(), client);
		String verifier = verifier();
		HttpResponse<String> remembered = browser.get(OAuthClients.authorizeUrl(appUrl(), client.id(), REDIRECT,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256")), "text/html");
		String code = OAuthClients
			.parameter(java.net.URI.create(remembered.headers().firstValue("Location").orElseThrow()), "code");

		HttpResponse<String> exchange = OAuthClients.token(appUrl(), client,
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier",
						verifier, "resource", "https://other.example/mcp"));
		HttpResponse<String> refresh = OAuthClients.token(appUrl(), client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.get("refresh_token").asString(), "resource", "https://other.example/mcp"));

		assertThat(exchange.statusCode()).isEqualTo(400);
		assertThat(exchange.body()).contains("invalid_target");
		assertThat(refresh.statusCode()).isEqualTo(400);
		assertThat(refresh.body()).contains("invalid_target");
	}

	@Test
	void aTokenBoundToAnotherResourceIsRefusedAtMcp() {
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		String access = OAuthClients.tokensFor(new BrowserSession(appUrl()), newUser(1).id(), client)
			.get("access_token")
			.asString();
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode()).isEqualTo(200);

		// As if issued while the service had another public address (MCP_AUTH_ISSUER).
		this.jdbc.sql("update mcp_authorization set resource = ? where access_hash = ?")
			.params("https://old-address.example/mcp", OAuthClients.storedHash(access))
			.update();

		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode()).isEqualTo(401);
	}

	@Test
	void aClientMetadataDocumentAtALoopbackOrPrivateAddressIsNeverFetched() throws IOException {
		BrowserSession browser = signedIn(newUser(1));
		try (ServerSocket document = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			document.setSoTimeout(300);
			for (String clientId : new String[] { "https://127.0.0.1:" + document.getLocalPort() + "/client.json",
					"https://localhost:" + document.getLocalPort() + "/client.json", "https://10.1.2.3/client.json" }) {

				HttpResponse<String> response = browser.get(
						OAuthClients.authorizeUrl(appUrl(), clientId, REDIRECT,
								Map.of("code_challenge", challenge(verifier()), "code_challenge_method", "S256")),
						"text/html");

				assertThat(response.statusCode()).as(clientId).isEqualTo(400);
				assertThat(this.jdbc.sql("select count(*) from oauth2_registered_client where client_id = ?")
					.param(clientId)
					.query(Integer.class)
					.single()).as(clientId).isZero();
			}
			assertThatExceptionOfType(SocketTimeoutException.class).as("no connection was made").isThrownBy(() -> {
				try (Socket connection = document.accept()) {
					// A connection arrived: the test fails on the missing exception.
				}
			});
		}
	}

	@Test
	void aConsentWithoutItsCsrfTokenOrWithAnotherIsRefusedAndIssuesNoCode() {
		EmulatedUser user = newUser(1);
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		BrowserSession browser = new BrowserSession(appUrl());
		HttpResponse<String> page = OAuthClients.consentPage(browser, user.id(), client,
				Map.of("code_challenge", challenge(verifier()), "code_challenge_method", "S256"));
		assertThat(page.body()).contains("name=\"_csrf\"");

		HttpResponse<String> without = OAuthClients.consent(browser, page, true, fields -> without(fields, "_csrf"));
		HttpResponse<String> wrong = OAuthClients.consent(browser, page, true,
				fields -> with(fields, "_csrf", "forged-token"));

		for (HttpResponse<String> refused : java.util.List.of(without, wrong)) {
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
			assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(refused.body()).doesNotContain("code=");
		}
		assertThat(this.jdbc
			.sql("select count(*) from mcp_authorization where principal_name = ? and code_hash is not null")
			.param(user.id())
			.query(Integer.class)
			.single()).as("no code issued").isZero();
		assertThat(this.jdbc.sql("select count(*) from oauth2_authorization_consent where principal_name = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).as("no consent remembered").isZero();
		assertThat(OAuthClients.consent(browser, page, true).statusCode()).as("the same form with its token")
			.isEqualTo(200);
	}

	@Test
	void theOAuthEndpointsAnswerOAuthErrorsAndIntrospectionIsNotOffered() {
		Client confidential = OAuthClients.register(appUrl(), "https://agent.example/callback", "client_secret_post");

		HttpResponse<String> noClient = OAuthClients.post(appUrl() + "/oauth2/token",
				"application/x-www-form-urlencoded", "grant_type=authorization_code&code=x");
		HttpResponse<String> revokeNoClient = OAuthClients.post(appUrl() + "/oauth2/revoke",
				"application/x-www-form-urlencoded", "token=sta_x");
		HttpResponse<String> introspection = OAuthClients.post(appUrl() + "/oauth2/introspect",
				"application/x-www-form-urlencoded",
				"token=sta_x&client_id=" + confidential.id() + "&client_secret=" + confidential.secret());
		HttpResponse<String> notJson = OAuthClients.post(appUrl() + "/oauth2/register", "application/json",
				"{not json");

		for (HttpResponse<String> unauthenticated : java.util.List.of(noClient, revokeNoClient)) {
			assertThat(unauthenticated.statusCode()).isEqualTo(401);
			assertThat(unauthenticated.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/json");
			assertThat(json.readTree(unauthenticated.body()).get("error").asString()).isEqualTo("invalid_client");
		}
		assertThat(introspection.statusCode()).isEqualTo(403);
		assertThat(introspection.body()).doesNotContain("active");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(json.readTree(notJson.body()).get("error").asString()).isEqualTo("invalid_request");
		assertThat(notJson.body()).doesNotContainIgnoringCase("parse").doesNotContain("Unexpected character");
	}

	@Test
	void anAppsNameIsShownAsTextNextToWhereItsAnswerGoes() {
		HttpResponse<String> registered = OAuthClients.post(appUrl() + "/oauth2/register", "application/json",
				"{\"client_name\":\"<img src=x onerror=alert(1)>Claude\\u202E\",\"redirect_uris\":"
						+ "[\"https://evil.example/callback\"],\"token_endpoint_auth_method\":\"none\"}");
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
		Client client = new Client(json.readTree(registered.body()).get("client_id").asString(), null,
				"https://evil.example/callback");

		HttpResponse<String> page = OAuthClients.consentPage(new BrowserSession(appUrl()), newUser(1).id(), client,
				Map.of("code_challenge", challenge(verifier()), "code_challenge_method", "S256"));

		assertThat(page.body()).doesNotContain("<img src=x")
			.doesNotContain("\u202E")
			.contains("<span id=\"client-name\">&lt;img src=x onerror=alert(1)&gt;Claude</span>")
			.contains("(from <span id=\"client-from\">evil.example</span>)");
	}

	private static Map<String, String> without(Map<String, String> fields, String name) {
		Map<String, String> edited = new LinkedHashMap<>(fields);
		edited.remove(name);
		return edited;
	}

	private static Map<String, String> with(Map<String, String> fields, String name, String value) {
		Map<String, String> edited = new LinkedHashMap<>(fields);
		edited.put(name, value);
		return edited;
	}

}
