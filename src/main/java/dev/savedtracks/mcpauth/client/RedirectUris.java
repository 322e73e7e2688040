package dev.savedtracks.mcpauth.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Which redirect URIs a client may register: HTTPS anywhere, or plain HTTP on the
 * loopback interface for desktop apps (RFC 8252 7.3: {@code 127.0.0.1}, {@code [::1]}, or
 * {@code localhost}, which some agents use); no fragment, no user info, nothing relative,
 * at most {@value #MAX_URIS} of them. Custom schemes are refused: any app can claim one.
 * At the authorization endpoint the redirect URI must then match a registered one exactly
 * (for loopback addresses, any port).
 */
public final class RedirectUris {

	static final int MAX_URIS = 10;

	static final int MAX_LENGTH = 400;

	private RedirectUris() {
	}

	/** Why these URIs may not be registered, or null if they may. */
	static String problem(Collection<String> uris) {
		if (uris.isEmpty()) {
			return "at least one redirect_uri is required";
		}
		if (uris.size() > MAX_URIS) {
			return "at most " + MAX_URIS + " redirect_uris";
		}
		for (String uri : uris) {
			String problem = problem(uri);
			if (problem != null) {
				return problem;
			}
		}
		return null;
	}

	static String problem(String uri) {
		if (uri.length() > MAX_LENGTH) {
			return "a redirect_uri is longer than " + MAX_LENGTH + " characters";
		}
		URI parsed;
		try {
			parsed = new URI(uri);
		}
		catch (URISyntaxException ex) {
			return "a redirect_uri is not a URI";
		}
		if (!parsed.isAbsolute() || parsed.getHost() == null || parsed.getRawFragment() != null
				|| parsed.getRawUserInfo() != null) {
			return "a redirect_uri must be absolute, with a host, without fragment or user info";
		}
		String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
		if (scheme.equals("https")) {
			return null;
		}
		if (scheme.equals("http") && isLoopback(parsed.getHost())) {
			return null;
		}
		return "a redirect_uri must be https, or http on a loopback address (127.0.0.1, [::1], localhost)";
	}

	/**
	 * Where an app is from, in terms it cannot choose freely: the host of its metadata
	 * document, or the hosts it gets codes sent to.
	 */
	public static String whereFrom(String clientId, boolean metadataDocument, @Nullable String redirectUris) {
		if (metadataDocument) {
			return host(clientId);
		}
		if (redirectUris == null || redirectUris.isBlank()) {
			return "unknown";
		}
		return String.join(", ", Arrays.stream(redirectUris.split(",")).map(RedirectUris::host).distinct().toList());
	}

	private static String host(String uri) {
		try {
			URI parsed = URI.create(uri.strip());
			return (parsed.getHost() != null) ? parsed.getHost() : "unknown";
		}
		catch (IllegalArgumentException ex) {
			return "unknown";
		}
	}

	static boolean isLoopback(String host) {
		String lower = host.toLowerCase(Locale.ROOT);
		return lower.equals("localhost") || lower.equals("[::1]") || lower.matches("127(\\.\\d{1,3}){3}");
	}

}
