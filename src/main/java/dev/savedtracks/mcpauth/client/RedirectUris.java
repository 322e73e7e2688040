package dev.savedtracks.mcpauth.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Which redirect URIs a client may register: HTTPS anywhere, plain HTTP on the loopback
 * interface for desktop apps (RFC 8252 7.3: {@code 127.0.0.1}, {@code [::1]}, or
 * {@code localhost}, which some agents use), and the private-use schemes the operator
 * lists ({@code MCP_AUTH_NATIVE_REDIRECT_SCHEMES}, RFC 8252 7.1, such as Cursor's
 * {@code cursor://}); no fragment, no user info, nothing relative, at most
 * {@value #MAX_URIS} of them. Other schemes are refused: any app on a device can claim a
 * private-use scheme, so each one is the operator's choice, and PKCE (required of every
 * client) is what keeps a code caught by another app useless. At the authorization
 * endpoint the redirect URI must then match a registered one exactly (for loopback
 * addresses, any port).
 */
public final class RedirectUris {

	static final int MAX_URIS = 10;

	static final int MAX_LENGTH = 400;

	private final Set<String> nativeSchemes;

	/**
	 * @param nativeSchemes the private-use schemes allowed besides https and loopback
	 * http, lower case (as {@code McpAuthSettings} checked them)
	 */
	public RedirectUris(Collection<String> nativeSchemes) {
		this.nativeSchemes = Set.copyOf(nativeSchemes);
	}

	/** Why these URIs may not be registered, or null if they may. */
	@Nullable String problem(Collection<String> uris) {
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

	@Nullable String problem(String uri) {
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
		if (!parsed.isAbsolute() || parsed.isOpaque() || parsed.getRawFragment() != null
				|| parsed.getRawUserInfo() != null) {
			return "a redirect_uri must be absolute, without fragment or user info";
		}
		String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
		if (this.nativeSchemes.contains(scheme)) {
			return null;
		}
		if (parsed.getHost() == null) {
			return "a redirect_uri must have a host";
		}
		if (scheme.equals("https")) {
			return null;
		}
		if (scheme.equals("http") && isLoopback(parsed.getHost())) {
			return null;
		}
		return "a redirect_uri must be https, or http on a loopback address (127.0.0.1, [::1], localhost)"
				+ (this.nativeSchemes.isEmpty() ? "" : ", or use one of the schemes "
						+ String.join(", ", this.nativeSchemes.stream().sorted().toList()));
	}

	/**
	 * Where an app is from, in terms it cannot choose freely: the host of its metadata
	 * document, or where it gets codes sent to (the hosts of its web and loopback
	 * redirect URIs, or the scheme and host of its private-use ones, such as
	 * {@code cursor://anysphere.cursor-mcp}).
	 */
	public static String whereFrom(String clientId, boolean metadataDocument, @Nullable String redirectUris) {
		if (metadataDocument) {
			return where(clientId);
		}
		if (redirectUris == null || redirectUris.isBlank()) {
			return "unknown";
		}
		return String.join(", ", Arrays.stream(redirectUris.split(",")).map(RedirectUris::where).distinct().toList());
	}

	private static String where(String uri) {
		try {
			URI parsed = new URI(uri.strip());
			String scheme = (parsed.getScheme() != null) ? parsed.getScheme().toLowerCase(Locale.ROOT) : "";
			if (scheme.equals("https") || scheme.equals("http")) {
				return (parsed.getHost() != null) ? parsed.getHost() : "unknown";
			}
			return scheme + ":" + ((parsed.getHost() != null) ? "//" + parsed.getHost() : "");
		}
		catch (URISyntaxException ex) {
			return "unknown";
		}
	}

	static boolean isLoopback(String host) {
		String lower = host.toLowerCase(Locale.ROOT);
		return lower.equals("localhost") || lower.equals("[::1]") || lower.matches("127(\\.\\d{1,3}){3}");
	}

}
