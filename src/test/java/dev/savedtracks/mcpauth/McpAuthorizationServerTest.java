package dev.savedtracks.mcpauth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.mcpauth.OAuthClients.Client;

import static dev.savedtracks.mcpauth.OAuthClients.challenge;
import static dev.savedtracks.mcpauth.OAuthClients.verifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The MCP endpoint's authorization server over HTTP, as clients and a browser use it:
 * discovery, registration, consent, tokens bound to {@code /mcp}, refresh rotation and
 * reuse, revocation, Disconnect and delete-my-data, and what the database keeps.
 * <p>
 * And what it refuses, with what a well-behaved client never sends: no PKCE or plain
 * PKCE, an unregistered redirect URI, another resource (at the authorization and token
 * endpoints, and a token bound to another one at {@code /mcp}), a client metadata
 * document at a private address, and a consent without its CSRF token.
 */
class McpAuthorizationServerTest extends EmulatedSpotifyTest {

	private static final String REDIRECT = "http://127.0.0.1:9/callback";

	private static final Pattern STATE = Pattern.compile("<input type=\"hidden\" name=\"state\" value=\"([^\"]*)\"");

	@Autowired
	private OAuth2AuthorizationService grants;

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
	void aConfidentialClientsTokenWorksAtMcpOnlyAndItsCodeRedeemedAgainRevokesIt() {
		EmulatedUser user = newUser(12);
		Client client = OAuthClients.register(appUrl(), "https://claude.ai/api/mcp/auth_callback",
				"client_secret_post");
		assertThat(client.secret()).isNotBlank();
		String verifier = verifier();

		URI back = OAuthClients.authorize(new BrowserSession(appUrl()), user.id(), client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256", "resource",
						appUrl() + "/mcp", "scope", "library:read"));
		String code = OAuthClients.parameter(back, "code");
		JsonNode tokens = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				code, "redirect_uri", client.redirectUri(), "code_verifier", verifier, "resource", appUrl() + "/mcp")));
		String access = tokens.get("access_token").asString();

		assertThat(OAuthClients.parameter(back, "state")).isEqualTo("xyz");
		assertThat(access).startsWith("sta_");
		assertThat(tokens.get("refresh_token").asString()).startsWith("str_");
		assertThat(tokens.get("expires_in").asInt()).isBetween(1700, 1800);
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode()).isEqualTo(200);
		assertThat(OAuthClients.get(appUrl() + "/api/saved-tracks", "Authorization", "Bearer " + access).statusCode())
			.as("a token for /mcp is refused by the API")
			.isEqualTo(401);

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
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		assertThat(client.secret()).isNull();
		JsonNode first = OAuthClients.tokensFor(new BrowserSession(appUrl()), newUser(5).id(), client);

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
	void aGrantChangedByTwoRequestsAtOnceIsRevokedRatherThanForked() {
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		JsonNode tokens = OAuthClients.tokensFor(new BrowserSession(appUrl()), newUser(1).id(), client);
		String refresh = tokens.get("refresh_token").asString();
		// Two token requests with the same refresh token, each having read the grant
		// before either saved it.
		OAuth2Authorization first = this.grants.findByToken(refresh, OAuth2TokenType.REFRESH_TOKEN);
		OAuth2Authorization second = this.grants.findByToken(refresh, OAuth2TokenType.REFRESH_TOKEN);
		Instant now = Instant.now();

		this.grants.save(OAuth2Authorization.from(first)
			.refreshToken(new OAuth2RefreshToken("str_first-" + verifier(), now, now.plusSeconds(600)))
			.build());

		assertThatExceptionOfType(OAuth2AuthenticationException.class)
			.isThrownBy(() -> this.grants.save(OAuth2Authorization.from(second)
				.refreshToken(new OAuth2RefreshToken("str_second-" + verifier(), now, now.plusSeconds(600)))
				.build()))
			.satisfies(ex -> assertThat(ex.getError().getErrorCode()).isEqualTo("invalid_grant"));
		assertThat(this.grants.findById(first.getId())).as("neither copy lives on").isNull();
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", tokens.get("access_token").asString()).statusCode())
			.isEqualTo(401);
	}

	@Test
	void revokedTokensAndDisconnectedAppsStopAtOnceAndDeleteMyDataRemovesEverything() {
		EmulatedUser user = newUser(5);
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		BrowserSession browser = new BrowserSession(appUrl());
		String access = OAuthClients.tokensFor(browser, user.id(), client).get("access_token").asString();

		assertThat(OAuthClients.revoke(appUrl(), client, access).statusCode()).isEqualTo(200);
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", access).statusCode()).isEqualTo(401);

		JsonNode apps = read(browser.api("/api/connected-apps"));
		assertThat(apps).singleElement().satisfies(app -> {
			assertThat(app.get("name").asString()).isEqualTo("Test agent");
			assertThat(app.get("from").asString()).isEqualTo("127.0.0.1");
		});
		String verifier = verifier();
		URI again = authorizeRemembered(browser, client, verifier);
		assertThat(OAuthClients.parameter(again, "code")).as("the consent is remembered").isNotBlank();
		JsonNode renewed = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				OAuthClients.parameter(again, "code"), "redirect_uri", REDIRECT, "code_verifier", verifier)));
		assertThat(browser.write("DELETE", "/api/connected-apps/" + apps.get(0).get("id").asString(), "").statusCode())
			.isEqualTo(204);
		HttpResponse<String> again404 = browser.write("DELETE",
				"/api/connected-apps/" + apps.get(0).get("id").asString(), "");
		assertThat(again404.statusCode()).as("an app disconnected already").isEqualTo(404);
		assertThat(again404.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(again404.body()).contains("connected-app-not-found");
		assertThat(OAuthClients.mcp(appUrl(), "/mcp", renewed.get("access_token").asString()).statusCode())
			.as("Disconnect ends the app's tokens")
			.isEqualTo(401);

		OAuthClients.tokensFor(browser, null, client);
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
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");

		String aliceToken = OAuthClients.tokensFor(new BrowserSession(appUrl()), newUser(3).id(), client)
			.get("access_token")
			.asString();
		String bobToken = OAuthClients.tokensFor(new BrowserSession(appUrl()), newUser(7).id(), client)
			.get("access_token")
			.asString();

		assertThat(libraryTotal(aliceToken)).isEqualTo(3);
		assertThat(libraryTotal(bobToken)).isEqualTo(7);
	}

	@Test
	void noCodeTokenConsentStateOrClientSecretIsStoredInClear() {
		Client client = OAuthClients.register(appUrl(), REDIRECT, "none");
		BrowserSession browser = new BrowserSession(appUrl());
		String verifier = verifier();
		HttpResponse<String> page = OAuthClients.consentPage(browser, newUser(2).id(), client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		Matcher state = STATE.matcher(page.body());
		assertThat(state.find()).as(page.body()).isTrue();
		URI back = OAuthClients.navigatesTo(OAuthClients.consent(browser, page, true));
		String code = OAuthClients.parameter(back, "code");
		JsonNode first = read(OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code", "code",
				code, "redirect_uri", REDIRECT, "code_verifier", verifier)));
		JsonNode second = read(OAuthClients.token(appUrl(), client,
				Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asString())));
		String secret = OAuthClients.register(appUrl(), "https://agent.example/callback", "client_secret_basic")
			.secret();
		List<String> credentials = List.of(state.group(1), code, first.get("access_token").asString(),
				first.get("refresh_token").asString(), second.get("access_token").asString(),
				second.get("refresh_token").asString(), secret);

		String dump = String.join("\n",
				this.jdbc.sql("script nopasswords nosettings table " + String.join(", ", storedTables()))
					.query((rs, i) -> rs.getString(1))
					.list());

		for (String credential : credentials) {
			assertThat(dump).as("a database dump holds no credential in clear")
				.doesNotContain(credential)
				.doesNotContainIgnoringCase(HexFormat.of().formatHex(credential.getBytes(StandardCharsets.UTF_8)));
		}
		assertThat(this.jdbc.sql("select count(*) from mcp_authorization where access_hash = ? and refresh_hash = ?")
			.params(OAuthClients.storedHash(second.get("access_token").asString()),
					OAuthClients.storedHash(second.get("refresh_token").asString()))
			.query(Integer.class)
			.single()).as("found by their SHA-256 hashes").isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from mcp_retired_refresh_token where token_hash = ?")
			.param(OAuthClients.storedHash(first.get("refresh_token").asString()))
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void cursorConnectsWithItsOwnSchemeWhereTheOperatorAllowsIt() {
		// What Cursor registers (its documented static redirect URI, with its web and
		// loopback callbacks), with MCP_AUTH_NATIVE_REDIRECT_SCHEMES=cursor (set for
		// every
		// test in EmulatedSpotifyTest).
		String cursor = "cursor://anysphere.cursor-mcp/oauth/callback";
		HttpResponse<String> registered = OAuthClients.post(appUrl() + "/oauth2/register", "application/json",
				"{\"client_name\":\"Cursor\",\"redirect_uris\":[\"" + cursor
						+ "\",\"https://www.cursor.com/agents/mcp/oauth/callback\",\"http://localhost:8787/callback\"],"
						+ "\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\","
						+ "\"refresh_token\"],\"response_types\":[\"code\"]}");
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
		Client client = new Client(json.readTree(registered.body()).get("client_id").asString(), null, cursor);
		BrowserSession browser = new BrowserSession(appUrl());
		String verifier = verifier();

		HttpResponse<String> page = OAuthClients.consentPage(browser, newUser(4).id(), client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		URI back = OAuthClients.navigatesTo(OAuthClients.consent(browser, page, true));
		HttpResponse<String> tokens = OAuthClients.token(appUrl(), client, Map.of("grant_type", "authorization_code",
				"code", OAuthClients.parameter(back, "code"), "redirect_uri", cursor, "code_verifier", verifier));
		HttpResponse<String> otherScheme = OAuthClients.post(appUrl() + "/oauth2/register", "application/json",
				"{\"client_name\":\"x\",\"redirect_uris\":[\"vscode://vscode.github-authentication/cb\"]}");

		assertThat(page.body()).contains("cursor://anysphere.cursor-mcp, www.cursor.com, localhost");
		assertThat(back.toString()).startsWith(cursor + "?code=");
		assertThat(read(tokens).get("access_token").asString()).startsWith("sta_");
		assertThat(otherScheme.statusCode()).isEqualTo(400);
		assertThat(otherScheme.body()).contains("invalid_redirect_uri");
	}

	/** The tables that hold what the authorization server and the sessions keep. */
	private List<String> storedTables() {
		List<String> tables = new ArrayList<>(List.of("mcp_authorization", "mcp_retired_refresh_token",
				"oauth2_authorization_consent", "oauth2_registered_client"));
		tables.addAll(this.jdbc
			.sql("select table_name from information_schema.tables where lower(table_name) like 'spring_session%'")
			.query(String.class)
			.list());
		return tables;
	}

	private int libraryTotal(String accessToken) {
		HttpResponse<String> response = OAuthClients
			.send(java.net.http.HttpRequest.newBuilder(URI.create(appUrl() + "/mcp"))
				.header("Authorization", "Bearer " + accessToken)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
						+ "\"tools/call\",\"params\":{\"name\":\"library_stats\",\"arguments\":{}}}"))
				.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("result").get("structuredContent").get("total").asInt();
	}

	private URI authorizeRemembered(BrowserSession browser, Client client, String verifier) {
		HttpResponse<String> redirect = browser.get(OAuthClients.authorizeUrl(appUrl(), client.id(),
				client.redirectUri(), Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256")),
				"text/html");
		assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
		return URI.create(redirect.headers().firstValue("Location").orElseThrow());
	}

	// What the authorization server refuses.

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
