package dev.savedtracks.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Spotify's accounts service: the authorize consent page and the token endpoint. */
final class AccountsHandler implements HttpHandler {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	/**
	 * RFC 7636: a S256 challenge is 43 characters, any challenge at most 128 unreserved
	 * characters.
	 */
	private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

	private final SpotifyEmulator emulator;

	AccountsHandler(SpotifyEmulator emulator) {
		this.emulator = emulator;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try {
			// Always drain the body, or the JDK server cannot reuse the connection.
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String path = exchange.getRequestURI().getPath().substring("/accounts".length());
			String method = exchange.getRequestMethod();
			if (path.equals("/authorize") && method.equals("GET")) {
				this.emulator.counters().authorizeRequest();
				authorize(exchange, Http.form(exchange.getRequestURI().getRawQuery()), false);
			}
			else if (path.equals("/authorize") && method.equals("POST")) {
				authorize(exchange, Http.form(body), true);
			}
			else if (path.equals("/api/token") && method.equals("POST")) {
				token(exchange, Http.form(body));
			}
			else if (path.equals("/authorize") || path.equals("/api/token")) {
				exchange.getResponseHeaders().set("Allow", path.equals("/authorize") ? "GET, POST" : "POST");
				page(exchange, 405, "Method not allowed");
			}
			else {
				page(exchange, 404, "Not found");
			}
		}
		catch (RuntimeException ex) {
			// Surface emulator bugs in the test output instead of letting the JDK server
			// swallow them silently.
			ex.printStackTrace();
			throw ex;
		}
		finally {
			exchange.close();
		}
	}

	private void authorize(HttpExchange exchange, Map<String, String> params, boolean submitted) throws IOException {
		if (!this.emulator.clientId().equals(params.get("client_id"))) {
			page(exchange, 400, "INVALID_CLIENT: Invalid client");
			return;
		}
		String redirectUri = params.get("redirect_uri");
		if (redirectUri == null || redirectUri.isEmpty()) {
			page(exchange, 400, "INVALID_CLIENT: Invalid redirect URI");
			return;
		}
		RedirectUriCheck check = checkRedirectUri(redirectUri);
		if (check != RedirectUriCheck.OK) {
			page(exchange, 400, (check == RedirectUriCheck.INSECURE) ? "INVALID_CLIENT: Insecure redirect URI"
					: "INVALID_CLIENT: Invalid redirect URI");
			return;
		}
		// From here on the redirect URI is trusted, so errors go back to the client like
		// Spotify's do.
		@Nullable String state = params.get("state");
		if (!"code".equals(params.get("response_type"))) {
			Http.redirect(exchange, errorRedirect(redirectUri, "unsupported_response_type", state));
			return;
		}
		@Nullable String challenge = params.get("code_challenge");
		@Nullable String method = params.get("code_challenge_method");
		if ((challenge != null || method != null)
				&& (!"S256".equals(method) || challenge == null || !CODE_CHALLENGE.matcher(challenge).matches())) {
			Http.redirect(exchange, errorRedirect(redirectUri, "invalid_request", state));
			return;
		}
		if (!submitted) {
			consentPage(exchange, 200, params, null);
			return;
		}
		String action = params.getOrDefault("action", "");
		if (action.equals("cancel")) {
			Http.redirect(exchange, errorRedirect(redirectUri, "access_denied", state));
			return;
		}
		if (!action.equals("accept")) {
			consentPage(exchange, 400, params, "Choose Agree or Cancel.");
			return;
		}
		String username = params.getOrDefault("username", "").strip();
		if (!USERNAME.matcher(username).matches()) {
			consentPage(exchange, 400, params,
					"Enter a username of letters, digits, '_', '-' or '.' (at most 64 characters).");
			return;
		}
		EmulatedUser user = this.emulator.userSigningIn(username);
		String code = this.emulator.createAuthorizationCode(user, redirectUri, params.getOrDefault("scope", ""),
				challenge);
		String location = Http.withParam(redirectUri, "code", code);
		if (state != null) {
			location = location + "&state=" + Http.encode(state);
		}
		Http.redirect(exchange, location);
	}

	private RedirectUriCheck checkRedirectUri(String redirectUri) {
		URI uri;
		try {
			uri = new URI(redirectUri);
		}
		catch (URISyntaxException ex) {
			return RedirectUriCheck.INVALID;
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		// Since November 2025 Spotify refuses localhost, and plain http except on
		// loopback IP literals.
		if (host.equals("localhost") || host.endsWith(".localhost")
				|| (scheme.equals("http") && !host.equals("127.0.0.1") && !host.equals("[::1]"))) {
			return RedirectUriCheck.INSECURE;
		}
		return this.emulator.isRegisteredRedirectUri(redirectUri) ? RedirectUriCheck.OK : RedirectUriCheck.INVALID;
	}

	private static String errorRedirect(String redirectUri, String error, @Nullable String state) {
		String location = Http.withParam(redirectUri, "error", error);
		return (state != null) ? location + "&state=" + Http.encode(state) : location;
	}

	private void consentPage(HttpExchange exchange, int status, Map<String, String> params, @Nullable String error)
			throws IOException {
		StringBuilder html = new StringBuilder(2048);
		html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
			.append("<title>Log in to Spotify (emulator)</title>\n</head>\n<body>\n")
			.append("<h1>Log in to Spotify (emulator)</h1>\n")
			.append("<p>The app <code>")
			.append(Http.html(params.get("client_id")))
			.append("</code> asks for access to: <code>")
			.append(Http.html(params.getOrDefault("scope", "")))
			.append("</code></p>\n");
		if (error != null) {
			html.append("<p class=\"error\" role=\"alert\">").append(Http.html(error)).append("</p>\n");
		}
		html.append("<form method=\"post\" action=\"")
			.append(Http.html(this.emulator.accountsUrl() + "/authorize"))
			.append("\">\n");
		for (Map.Entry<String, String> param : params.entrySet()) {
			if (param.getKey().equals("username") || param.getKey().equals("action")) {
				continue;
			}
			html.append("<input type=\"hidden\" name=\"")
				.append(Http.html(param.getKey()))
				.append("\" value=\"")
				.append(Http.html(param.getValue()))
				.append("\">\n");
		}
		html.append("<label for=\"username\">Spotify username</label>\n")
			.append("<input type=\"text\" id=\"username\" name=\"username\" value=\"")
			.append(Http.html(params.getOrDefault("username", "")))
			.append("\" autocomplete=\"username\">\n")
			.append("<button type=\"submit\" name=\"action\" value=\"accept\">Agree</button>\n")
			.append("<button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>\n")
			.append("</form>\n</body>\n</html>\n");
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		Http.send(exchange, status, Http.HTML, html.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static void page(HttpExchange exchange, int status, String message) throws IOException {
		String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
				+ "</head>\n<body>\n<h1>" + Http.html(message) + "</h1>\n</body>\n</html>\n";
		Http.send(exchange, status, Http.HTML, html.getBytes(StandardCharsets.UTF_8));
	}

	private void token(HttpExchange exchange, Map<String, String> params) throws IOException {
		String grantType = params.getOrDefault("grant_type", "");
		this.emulator.counters().tokenRequest(grantType);
		// Before deciding, so that a revocation during the delay is seen, as by a server
		// that is merely slow.
		if (!Http.sleep(this.emulator.tokenLatency())) {
			return;
		}
		if (!authenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
			tokenError(exchange, "invalid_client", "Invalid client");
			return;
		}
		switch (grantType) {
			case "authorization_code" -> authorizationCodeGrant(exchange, params);
			case "refresh_token" -> refreshTokenGrant(exchange, params);
			case "" -> tokenError(exchange, "unsupported_grant_type", "grant_type parameter is missing");
			default -> tokenError(exchange, "unsupported_grant_type",
					"grant_type must be client_credentials, " + "authorization_code or refresh_token");
		}
	}

	/**
	 * Only the Basic header counts: this emulated app is a confidential client, body
	 * credentials are ignored.
	 */
	private boolean authenticated(@Nullable String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return false;
		}
		String credentials;
		try {
			credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
					StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		int colon = credentials.indexOf(':');
		if (colon < 0) {
			return false;
		}
		String id = credentials.substring(0, colon);
		String secret = credentials.substring(colon + 1);
		// RFC 6749 form-encodes id and secret before Base64; accept both spellings, they
		// only differ for odd chars.
		return this.emulator.isClient(id, secret) || this.emulator.isClient(Http.decode(id), Http.decode(secret));
	}

	private void authorizationCodeGrant(HttpExchange exchange, Map<String, String> params) throws IOException {
		String code = params.get("code");
		if (code == null || code.isEmpty()) {
			tokenError(exchange, "invalid_request", "code must be supplied");
			return;
		}
		SpotifyEmulator.AuthorizationCode grant = this.emulator.redeemAuthorizationCode(code);
		if (grant == null || !grant.clientId().equals(this.emulator.clientId())) {
			tokenError(exchange, "invalid_grant", "Invalid authorization code");
			return;
		}
		if (!grant.redirectUri().equals(params.get("redirect_uri"))) {
			tokenError(exchange, "invalid_grant", "Invalid redirect URI");
			return;
		}
		if (grant.codeChallenge() != null) {
			String verifier = params.get("code_verifier");
			if (verifier == null || !grant.codeChallenge().equals(s256(verifier))) {
				tokenError(exchange, "invalid_grant", "code_verifier was incorrect");
				return;
			}
		}
		EmulatedUser user = this.emulator.existingUser(grant.userId());
		if (user == null) {
			tokenError(exchange, "invalid_grant", "Invalid authorization code");
			return;
		}
		String accessToken = this.emulator.issueAccessToken(user, grant.scope());
		String refreshToken = this.emulator.issueRefreshToken(user, grant.scope());
		tokenResponse(exchange, accessToken, grant.scope(), refreshToken);
	}

	private void refreshTokenGrant(HttpExchange exchange, Map<String, String> params) throws IOException {
		String refreshToken = params.get("refresh_token");
		if (refreshToken == null || refreshToken.isEmpty()) {
			tokenError(exchange, "invalid_request", "refresh_token must be supplied");
			return;
		}
		SpotifyEmulator.RefreshToken grant = this.emulator.validRefreshToken(refreshToken);
		EmulatedUser user = (grant != null) ? this.emulator.existingUser(grant.userId()) : null;
		if (grant == null || user == null) {
			tokenError(exchange, "invalid_grant", "Refresh token revoked");
			return;
		}
		if (!Instant.now().isBefore(grant.expiresAt())) {
			tokenError(exchange, "invalid_grant", "Refresh token expired");
			return;
		}
		@Nullable String newRefreshToken = null;
		if (this.emulator.rotatesRefreshTokens()) {
			// Two concurrent refreshes with one rotating token: only the first wins, as
			// with a real rotating server.
			if (!this.emulator.invalidateRefreshToken(refreshToken)) {
				tokenError(exchange, "invalid_grant", "Refresh token revoked");
				return;
			}
			newRefreshToken = this.emulator.issueRefreshToken(user, grant.scope(), grant.expiresAt());
		}
		String accessToken = this.emulator.issueAccessToken(user, grant.scope());
		tokenResponse(exchange, accessToken, grant.scope(), newRefreshToken);
	}

	private static String s256(String verifier) {
		byte[] digest = Ids.sha256(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private void tokenResponse(HttpExchange exchange, String accessToken, String scope, @Nullable String refreshToken)
			throws IOException {
		ObjectNode body = JSON.createObjectNode();
		body.put("access_token", accessToken);
		body.put("token_type", "Bearer");
		body.put("scope", scope);
		body.put("expires_in", this.emulator.accessTokenLifetimeSeconds());
		if (refreshToken != null) {
			body.put("refresh_token", refreshToken);
		}
		sendJson(exchange, 200, body);
	}

	private static void tokenError(HttpExchange exchange, String error, String description) throws IOException {
		ObjectNode body = JSON.createObjectNode();
		body.put("error", error);
		body.put("error_description", description);
		sendJson(exchange, 400, body);
	}

	private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.getResponseHeaders().set("Pragma", "no-cache");
		Http.send(exchange, status, Http.JSON, JSON.writeValueAsBytes(body));
	}

	/**
	 * Outcome of checking a redirect URI against Spotify's rules and the registered ones.
	 */
	private enum RedirectUriCheck {

		OK, INSECURE, INVALID

	}

}
