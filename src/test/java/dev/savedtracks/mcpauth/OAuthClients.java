package dev.savedtracks.mcpauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client side of the OAuth flow, by hand, for the tests that must send what a real
 * client would not (no PKCE, a reused code): registration, PKCE, the authorization
 * request through a signed-in browser, the consent form, token requests.
 */
final class OAuthClients {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Pattern HIDDEN = Pattern
		.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"");

	private static final Pattern REFRESH = Pattern.compile("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]*)\"");

	private OAuthClients() {
	}

	/** A client registered dynamically, public unless a secret comes back. */
	record Client(String id, String secret, String redirectUri) {
	}

	static Client register(String appUrl, String redirectUri, String authMethod) {
		HttpResponse<String> response = post(appUrl + "/oauth2/register", "application/json",
				"{\"client_name\":\"Test agent\",\"redirect_uris\":[\"" + redirectUri
						+ "\"],\"token_endpoint_auth_method\":\"" + authMethod
						+ "\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
						+ "\"scope\":\"library:read\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		JsonNode registered = json.readTree(response.body());
		return new Client(registered.get("client_id").asString(), registered.path("client_secret").asString(null),
				redirectUri);
	}

	static String verifier() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String challenge(String verifier) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
	}

	/**
	 * What the server stores for a credential, by the test's own reckoning: the SHA-256
	 * of its UTF-8 bytes, in lower-case hex.
	 */
	static String storedHash(String credential) {
		return HexFormat.of().formatHex(sha256(credential));
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String authorizeUrl(String appUrl, String clientId, String redirectUri, Map<String, String> extra) {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("response_type", "code");
		parameters.put("client_id", clientId);
		parameters.put("redirect_uri", redirectUri);
		parameters.put("state", "xyz");
		parameters.putAll(extra);
		return appUrl + "/oauth2/authorize?" + form(parameters);
	}

	/** Hidden fields of the consent page, and the button to press. */
	static HttpResponse<String> consent(BrowserSession browser, HttpResponse<String> page, boolean allow) {
		return consent(browser, page, allow, UnaryOperator.identity());
	}

	/**
	 * The consent form as {@code edit} changes it (a forged or stale form: a field
	 * removed or replaced).
	 */
	static HttpResponse<String> consent(BrowserSession browser, HttpResponse<String> page, boolean allow,
			UnaryOperator<Map<String, String>> edit) {
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher hidden = HIDDEN.matcher(page.body());
		while (hidden.find()) {
			fields.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
		}
		if (allow) {
			fields.put("scope", "library:read");
		}
		else {
			fields.put("consent_action", "deny");
		}
		fields = edit.apply(fields);
		return browser.send(HttpRequest.newBuilder(URI.create(browser.appUrl() + "/oauth2/authorize"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(form(fields)))
			.build());
	}

	/** Where the page that answers the consent sends the browser. */
	static URI navigatesTo(HttpResponse<String> page) {
		Matcher refresh = REFRESH.matcher(page.body());
		assertThat(refresh.find()).as(page.body()).isTrue();
		return URI.create(refresh.group(1).replace("&amp;", "&"));
	}

	static String parameter(URI uri, String name) {
		for (String pair : uri.getRawQuery().split("&")) {
			int eq = pair.indexOf('=');
			if (pair.substring(0, eq).equals(name)) {
				return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	static HttpResponse<String> token(String appUrl, Client client, Map<String, String> parameters) {
		Map<String, String> form = new LinkedHashMap<>(parameters);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appUrl + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded");
		{
			form.put("client_id", client.id());
			if (client.secret() != null) {
				// client_secret_post, as the client registered
				form.put("client_secret", client.secret());
			}
		}
		return send(request.POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
	}

	static HttpResponse<String> revoke(String appUrl, Client client, String token) {
		return send(HttpRequest.newBuilder(URI.create(appUrl + "/oauth2/revoke"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", token, "client_id", client.id()))))
			.build());
	}

	static HttpResponse<String> mcp(String appUrl, String path, String accessToken) {
		return send(HttpRequest.newBuilder(URI.create(appUrl + path))
			.header("Authorization", "Bearer " + accessToken)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
			.build());
	}

	static HttpResponse<String> get(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	static HttpResponse<String> post(String url, String contentType, String body) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	static HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The browser goes to the authorization endpoint, signs in with Spotify as
	 * {@code userId} (null: already signed in), sees the consent page and allows; returns
	 * where it is sent back to.
	 */
	static URI authorize(BrowserSession browser, String userId, Client client, Map<String, String> extra) {
		HttpResponse<String> page = consentPage(browser, userId, client, extra);
		HttpResponse<String> allowed = consent(browser, page, true);
		assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
		return navigatesTo(allowed);
	}

	/** The consent page the browser is shown for {@code client}. */
	static HttpResponse<String> consentPage(BrowserSession browser, String userId, Client client,
			Map<String, String> extra) {
		HttpResponse<String> page = browser
			.navigate(authorizeUrl(browser.appUrl(), client.id(), client.redirectUri(), extra));
		if (userId != null) {
			page = browser.submitConsent(page, userId, "accept");
		}
		assertThat(page.uri().getPath()).as(page.body()).isEqualTo("/oauth2/consent");
		return page;
	}

	/** The tokens a client gets for a person who allowed it, with PKCE (S256). */
	static JsonNode tokensFor(BrowserSession browser, String userId, Client client) {
		String verifier = verifier();
		URI back = authorize(browser, userId, client,
				Map.of("code_challenge", challenge(verifier), "code_challenge_method", "S256"));
		HttpResponse<String> response = token(browser.appUrl(), client, Map.of("grant_type", "authorization_code",
				"code", parameter(back, "code"), "redirect_uri", client.redirectUri(), "code_verifier", verifier));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	static String form(Map<String, String> parameters) {
		return parameters.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

}
