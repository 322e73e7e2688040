package dev.savedtracks.mcpauth;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.mcpauth.OAuthClients.Client;

import static dev.savedtracks.mcpauth.OAuthClients.challenge;
import static dev.savedtracks.mcpauth.OAuthClients.json;
import static dev.savedtracks.mcpauth.OAuthClients.verifier;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP endpoint's authorization server over HTTP, as a client and a browser use it,
 * with what a well-behaved client never sends: discovery, registration, consent, tokens
 * bound to {@code /mcp}, refresh rotation and reuse, revocation, and the refusals.
 */
class McpAuthorizationServerTest extends EmulatedSpotifyTest {

	private static final String REDIRECT = "http://127.0.0.1:9/callback";

	@Test
	void discoveryNamesThisServerAndNoWellKnownPathRedirects() {
		JsonNode resource = read(OAuthClients.get(appUrl() + "/.well-known/oauth-protected-resource/mcp"));
		JsonNode server = read(OAuthClients.get(appUrl() + "/.well-known/oauth-authorization-server"));
		HttpResponse<String> openid = OAuthClients.get(appUrl() + "/.well-known/openid-configuration", "Accept",
				"text/html");
		HttpResponse<String> other = OAuthClients.get(appUrl() + "/.well-known/anything-else", "Accept", "text/html");
		HttpResponse<String> challenge = OAuthClients.mcp(appUrl(), "/mcp", "sta_unknown");

		assertThat(resource.get("authorization_servers").get(0).asString()).isEqualTo(appUrl());
		assertThat(resource.get("scopes_supported").get(0).asString()).isEqualTo("library:read");
		assertThat(server.get("issuer").asString()).isEqualTo(appUrl());
		assertThat(server.get("code_challenge_methods_supported").valueStream().map(JsonNode::asString))
			.containsExactly("S256");
		assertThat(server.get("token_endpoint_auth_methods_supported").valueStream().map(JsonNode::asString))
			.contains("none", "client_secret_basic");
		assertThat(server.get("registration_endpoint").asString()).isEqualTo(appUrl() + "/oauth2/register");
		assertThat(server.get("client_id_metadata_document_supported").asBoolean()).isTrue();
		assertThat(server.has("jwks_uri")).isFalse();
		assertThat(openid.statusCode()).isEqualTo(404);
		assertThat(other.statusCode()).isEqualTo(404);
		assertThat(challenge.statusCode()).isEqualTo(401);
		assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("resource_metadata=\"" + appUrl() + "/.well-known/oauth-protected-resource/mcp\"");
	}

	@Test
	void aConfidentialClientGetsATokenForMcpOnlyThatRefreshesRotatesAndIsRevoked() {
		EmulatedUser user = newUser(12);
		Client client = OAuthClients.register(appUrl(), "https://claude.ai/api/mcp/auth_callback",
				"client_secret_post");
		assertThat(client.secret()).isNotBlank();
		BrowserSession browser = new BrowserSession(appUrl());
		String verifier = verifier();

		URI back = authorize(browser, user, client, Map.of("code_challenge", challenge(verifier),
				"code_challenge_method", "S256", "resource", appUrl() + "/mcp", "scope", "library:read"));
		String code = OAuthClients.parameter(back, "code");
		assertThat(OAuthClients.parameter(back, "state")).isEqualTo("xyz");
		JsonNode tokens = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				code, "redirect_uri", client.redirectUri(), "code_verifier", verifier, "resource", appUrl() + "/mcp")));
		String access = tokens.get("access_token").asString();
		String refresh = tokens.get("refresh_token").asString();

		assertThat(access).startsWith("sta_");
		assertThat(tokens.get("expires_in").asInt()).isBetween(1700, 1800);
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode()).isEqualTo(200);
		assertThat(OAuthClients.get(appUrl() + "/api/saved-tracks", "Authorization", "Bearer " + access).statusCode())
			.as("a token for /mcp is refused by the API")
			.isEqualTo(401);
		assertThat(this.jdbc.sql("select count(*) from mcp_authorization where access_hash = ? or refresh_hash = ?")
			.params(TokenHashes.hash(access), TokenHashes.hash(refresh))
			.query(Integer.class)
			.single()).as("stored as hashes").isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from mcp_authorization where request like ? or request like ?")
			.params("%" + access + "%", "%" + code + "%")
			.query(Integer.class)
			.single()).isZero();
		HttpResponse<String> reusedCode = OAuthClients.token(appUrl(), client, Map.of("grant_type",
				"authorization_code", "code", code, "redirect_uri", client.redirectUri(), "code_verifier", verifier));
		assertThat(reusedCode.statusCode()).isEqualTo(400);
		assertThat(reusedCode.body()).contains("invalid_grant");
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode())
			.as("a reused code revokes the tokens it gave")
			.isEqualTo(401);
	}

	@Test
	void aPublicClientRefreshesWithRotationAndAReusedRefreshTokenRevokesTheGrant() {
		EmulatedUser user = newUser(5);
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		assertThat(client.secret()).isNull();
		String verifier = verifier();
		URI back = authorize(new BrowserSession(appUrl()), user, client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		JsonNode first = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				OAuthClients.parameter(back, "code"), "redirect_uri", REDIRECT, "code_verifier", verifier)));

		JsonNode second = read(OAuthClients.token(appUrl(), client,
				Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asString())));
		assertThat(second.get("refresh_token").asString()).startsWith("str_")
			.isNotEqualTo(first.get("refresh_token").asString());
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", second.get("access_token").asString()).statusCode())
			.isEqualTo(200);

		HttpResponse<String> reused = OAuthClients.token(appUrl(), client,
				Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asString()));
		assertThat(reused.statusCode()).isEqualTo(400);
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", second.get("access_token").asString()).statusCode())
			.as("the grant is revoked")
			.isEqualTo(401);
		assertThat(
				OAuthClients
					.token(appUrl(), client,
							Map.of("grant_type", "refresh_token", "refresh_token",
									second.get("refresh_token").asString()))
					.statusCode())
			.isEqualTo(400);
	}

	@Test
	void revokedTokensAndDisconnectedAppsStopAtOnceAndDeleteMyDataRemovesEverything() {
		EmulatedUser user = newUser(5);
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		BrowserSession browser = new BrowserSession(appUrl());
		String verifier = verifier();
		URI back = authorize(browser, user, client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		JsonNode tokens = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				OAuthClients.parameter(back, "code"), "redirect_uri", REDIRECT, "code_verifier", verifier)));
		String access = tokens.get("access_token").asString();

		assertThat(OAuthClients.revoke(appUrl(), client, access).statusCode()).isEqualTo(200);
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode()).isEqualTo(401);

		JsonNode apps = read(browser.api("/api/connected-apps"));
		assertThat(apps).singleElement().satisfies(app -> {
			assertThat(app.get("name").asString()).isEqualTo("Test agent");
			assertThat(app.get("from").asString()).isEqualTo("127.0.0.1");
		});
		URI again = authorizeRemembered(browser, client, verifier);
		assertThat(OAuthClients.parameter(again, "code")).as("the consent is remembered").isNotBlank();
		JsonNode renewed = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				OAuthClients.parameter(again, "code"), "redirect_uri", REDIRECT, "code_verifier", verifier)));
		assertThat(browser.write("DELETE", "/api/connected-apps/" + apps.get(0).get("id").asString(), "").statusCode())
			.isEqualTo(204);
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", renewed.get("access_token").asString()).statusCode())
			.isEqualTo(401);

		URI third = authorize(browser, null, client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				OAuthClients.parameter(third, "code"), "redirect_uri", REDIRECT, "code_verifier", verifier)));
		assertThat(browser.write("DELETE", "/api/me", "").statusCode()).isEqualTo(204);
		for (String table : new String[] { "mcp_authorization", "oauth2_authorization_consent" }) {
			assertThat(this.jdbc.sql("select count(*) from " + table + " where principal_name = ?")
				.param(user.id())
				.query(Integer.class)
				.single()).as(table).isZero();
		}
	}

	@Test
	void anotherPersonsTokenReadsOnlyTheirLibrary() {
		EmulatedUser alice = newUser(3);
		EmulatedUser bob = newUser(7);
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");

		String aliceToken = accessToken(alice, client);
		String bobToken = accessToken(bob, client);

		assertThat(stats(aliceToken)).contains("\"total\":3");
		assertThat(stats(bobToken)).contains("\"total\":7");
	}

	@Test
	void requestsWithoutS256PkceOrWithAnUnregisteredRedirectOrAnotherResourceAreRefused() {
		EmulatedUser user = newUser(1);
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		BrowserSession browser = new BrowserSession(appUrl());
		browser.signIn(user.id());
		String verifier = verifier();

		HttpResponse<String> noPkce = browser.get(OAuthClients.authorizeUrl(appUrl(), client.id(), REDIRECT, Map.of()),
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
		assertThat(plain.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT)
			.contains("error=invalid_request");
		assertThat(otherRedirect.statusCode()).isEqualTo(400);
		assertThat(otherResource.headers().firstValue("Location").orElseThrow()).contains("error=invalid_target");
		assertThat(badRegistration.statusCode()).isEqualTo(400);
		assertThat(badRegistration.body()).contains("invalid_redirect_uri");
	}

	@Test
	void aClientMetadataDocumentAtAPrivateAddressIsNeverFetched() {
		BrowserSession browser = new BrowserSession(appUrl());
		browser.signIn(newUser(1).id());

		HttpResponse<String> response = browser.get(OAuthClients.authorizeUrl(appUrl(), "https://10.1.2.3/client.json",
				REDIRECT, Map.of("code_challenge", challenge(verifier()), "code_challenge_method", "S256")),
				"text/html");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.jdbc.sql("select count(*) from oauth2_registered_client where client_id = ?")
			.param("https://10.1.2.3/client.json")
			.query(Integer.class)
			.single()).isZero();
	}

	private String accessToken(EmulatedUser user, Client client) {
		String verifier = verifier();
		URI back = authorize(new BrowserSession(appUrl()), user, client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		return read(
				OAuthClients.token(appUrl(), client,
						Map.of("grant_type", "authorization_code", "code", OAuthClients.parameter(back, "code"),
								"redirect_uri", client.redirectUri(), "code_verifier", verifier)))
			.get("access_token")
			.asString();
	}

	private String stats(String accessToken) {
		HttpResponse<String> response = OAuthClients
			.send(java.net.http.HttpRequest.newBuilder(URI.create(appUrl() + "/mcp"))
				.header("Authorization", "Bearer " + accessToken)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
						+ "\"tools/call\",\"params\":{\"name\":\"library_stats\",\"arguments\":{}}}"))
				.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/**
	 * The browser goes to the authorization endpoint, signs in with Spotify as
	 * {@code user} (unless already signed in), sees the consent page and allows; returns
	 * where it is sent back to.
	 */
	private URI authorize(BrowserSession browser, EmulatedUser user, Client client, Map<String, String> extra) {
		HttpResponse<String> page = browser
			.navigate(OAuthClients.authorizeUrl(appUrl(), client.id(), client.redirectUri(), extra));
		if (user != null) {
			page = browser.submitConsent(page, user.id(), "accept");
		}
		assertThat(page.uri().getPath()).as(page.body()).isEqualTo("/oauth2/consent");
		assertThat(page.body()).contains("Test agent").contains("library:read");
		HttpResponse<String> allowed = OAuthClients.consent(browser, page, true);
		assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
		return OAuthClients.navigatesTo(allowed);
	}

	private URI authorizeRemembered(BrowserSession browser, Client client, String verifier) {
		HttpResponse<String> redirect = browser.get(OAuthClients.authorizeUrl(appUrl(), client.id(),
				client.redirectUri(), Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256")),
				"text/html");
		assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
		return URI.create(redirect.headers().firstValue("Location").orElseThrow());
	}

}
