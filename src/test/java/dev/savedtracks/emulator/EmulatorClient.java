package dev.savedtracks.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator's own tests' client: real HTTP calls to one emulator, and assertions on
 * Spotify's answers.
 */
final class EmulatorClient {

	static final String REDIRECT_URI = "http://127.0.0.1:8080/login/oauth2/code/spotify";

	static final JsonMapper JSON = JsonMapper.shared();

	// HTTP/1.1 only: the JDK server does not speak h2c, and redirects must stay visible
	// to the tests.
	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final SpotifyEmulator emulator;

	EmulatorClient(SpotifyEmulator emulator) {
		this.emulator = emulator;
	}

	Map<String, String> authorizeParams(String state) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("client_id", this.emulator.clientId());
		params.put("response_type", "code");
		params.put("redirect_uri", REDIRECT_URI);
		params.put("state", state);
		params.put("scope", "user-library-read");
		return params;
	}

	/** GET /authorize with the default parameters overridden by {@code overrides}. */
	HttpResponse<String> authorizePage(Map<String, String> overrides) throws Exception {
		Map<String, String> params = authorizeParams("state-1");
		params.putAll(overrides);
		return get(this.emulator.accountsUrl() + "/authorize?" + form(params), null);
	}

	/**
	 * Loads the consent page like a browser, then submits it with the given button and
	 * username.
	 */
	HttpResponse<String> submitConsent(Map<String, String> params, String action, String username) throws Exception {
		assertThat(get(this.emulator.accountsUrl() + "/authorize?" + form(params), null).statusCode()).isEqualTo(200);
		Map<String, String> submitted = new LinkedHashMap<>(params);
		submitted.put("username", username);
		submitted.put("action", action);
		return post(this.emulator.accountsUrl() + "/authorize", submitted, null);
	}

	/** Signs {@code username} in and returns the authorization code. */
	String signIn(String username, @Nullable String codeChallenge) throws Exception {
		Map<String, String> params = authorizeParams("s");
		if (codeChallenge != null) {
			params.put("code_challenge", codeChallenge);
			params.put("code_challenge_method", "S256");
		}
		return query(location(submitConsent(params, "accept", username))).get("code");
	}

	HttpResponse<String> exchangeNewCode(String username) throws Exception {
		String verifier = verifier();
		String code = signIn(username, challenge(verifier));
		return token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI,
				"code_verifier", verifier));
	}

	HttpResponse<String> refresh(String refreshToken) throws Exception {
		return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
	}

	HttpResponse<String> token(Map<String, String> params) throws Exception {
		return post(this.emulator.accountsUrl() + "/api/token", params,
				basic(this.emulator.clientId(), this.emulator.clientSecret()));
	}

	/** A page of the user's saved tracks with a fresh token, asserting a 200. */
	JsonNode tracks(String userId, int offset, int limit) throws Exception {
		HttpResponse<String> response = get(tracksUrl(offset, limit), this.emulator.issueAccessToken(userId));
		assertThat(response.statusCode()).isEqualTo(200);
		return json(response);
	}

	String tracksUrl(int offset, int limit) {
		return this.emulator.apiUrl() + "/v1/me/tracks?offset=" + offset + "&limit=" + limit;
	}

	static void assertInvalidGrant(HttpResponse<String> response, String description) {
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode body = json(response);
		assertThat(body.path("error").stringValue()).isEqualTo("invalid_grant");
		assertThat(body.path("error_description").stringValue()).isEqualTo(description);
	}

	static void assertApiError(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).isEqualTo(status);
		JsonNode error = json(response).path("error");
		assertThat(error.path("status").asInt()).isEqualTo(status);
		assertThat(error.path("message").stringValue()).isEqualTo(message);
	}

	static String verifier() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	static String challenge(String verifier) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	static HttpRequest.Builder request(String url, @Nullable String bearer) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
		if (bearer != null) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		return builder;
	}

	static HttpResponse<String> get(String url, @Nullable String bearer) throws Exception {
		return HTTP.send(request(url, bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> post(String url, Map<String, String> params, @Nullable String authorization)
			throws Exception {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(params)));
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String form(Map<String, String> params) {
		StringJoiner joined = new StringJoiner("&");
		params.forEach((name, value) -> joined.add(Http.encode(name) + "=" + Http.encode(value)));
		return joined.toString();
	}

	static URI location(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(302);
		return URI.create(response.headers().firstValue("Location").orElseThrow());
	}

	static Map<String, String> query(URI uri) {
		return Http.form(uri.getRawQuery());
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
