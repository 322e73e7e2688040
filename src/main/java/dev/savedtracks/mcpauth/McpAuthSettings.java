package dev.savedtracks.mcpauth;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * The authorization server of the MCP endpoint: its public address (the issuer; empty:
 * taken from each request, which behind a proxy needs forwarded headers trusted), token
 * and code lifetimes, how client registration is bounded, and how client metadata
 * documents are fetched.
 *
 * @param issuer the service's public base URL, such as {@code https://tracks.example.com}
 * @param accessTokenLifetime how long an access token works (at most an hour)
 * @param refreshTokenLifetime how long a refresh token works (each refresh replaces it;
 * at most a year)
 * @param authorizationCodeLifetime how long an authorization code may wait to be
 * exchanged
 * @param pendingClientLifetime how long a registered client that no person has authorized
 * (or no longer has) is kept
 * @param maxPendingClients registered clients without a completed authorization kept at
 * once, all replicas together; registrations beyond it are refused
 * @param registrationsPerAddress registrations one network address may make per hour, per
 * replica
 * @param metadataTimeout the longest a client metadata document may take to arrive
 * @param metadataMaxSize the largest client metadata document read
 * @param metadataCacheTime how long a fetched client metadata document is used before it
 * is fetched again
 * @param metadataAllowLoopback whether client metadata documents may be fetched from
 * loopback addresses (tests only; private and link-local addresses are always refused)
 * @param nativeRedirectSchemes private-use URI schemes (RFC 8252 7.1) clients may
 * register redirect URIs with, such as {@code cursor}; scheme names only, never a web or
 * script scheme
 */
@ConfigurationProperties("mcp-auth")
public record McpAuthSettings(@DefaultValue("") String issuer, @DefaultValue("30m") Duration accessTokenLifetime,
		@DefaultValue("30d") Duration refreshTokenLifetime, @DefaultValue("2m") Duration authorizationCodeLifetime,
		@DefaultValue("24h") Duration pendingClientLifetime, @DefaultValue("1000") int maxPendingClients,
		@DefaultValue("20") int registrationsPerAddress, @DefaultValue("5s") Duration metadataTimeout,
		@DefaultValue("5KB") DataSize metadataMaxSize, @DefaultValue("1h") Duration metadataCacheTime,
		@DefaultValue("false") boolean metadataAllowLoopback, @DefaultValue List<String> nativeRedirectSchemes) {

	/**
	 * Schemes that are not an app's own: the web's, and those that run or read something
	 * in the browser or on the device.
	 */
	private static final Set<String> NEVER_NATIVE = Set.of("http", "https", "javascript", "data", "file", "vbscript",
			"blob", "about", "filesystem", "ftp", "ws", "wss", "mailto", "tel", "urn", "view-source", "chrome",
			"intent");

	public McpAuthSettings {
		issuer = issuer.strip();
		if (issuer.endsWith("/")) {
			issuer = issuer.substring(0, issuer.length() - 1);
		}
		if (!issuer.isEmpty()) {
			URI uri = URI.create(issuer);
			if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
					|| uri.getQuery() != null || uri.getFragment() != null
					|| (uri.getPath() != null && !uri.getPath().isEmpty())) {
				throw new InvalidConfiguration("MCP_AUTH_ISSUER must be the service's public base URL, was " + issuer,
						"Set it to the address people and AI apps reach the service at, such as "
								+ "https://tracks.example.com (no path), or leave it empty.");
			}
		}
		for (Duration lifetime : new Duration[] { accessTokenLifetime, refreshTokenLifetime, authorizationCodeLifetime,
				pendingClientLifetime, metadataTimeout, metadataCacheTime }) {
			if (lifetime.isNegative() || lifetime.isZero()) {
				throw new InvalidConfiguration("MCP_AUTH_* durations must be positive, one was " + lifetime,
						"Use durations such as 30m, 30d or 5s.");
			}
		}
		if (accessTokenLifetime.compareTo(Duration.ofHours(1)) > 0
				|| refreshTokenLifetime.compareTo(Duration.ofDays(365)) > 0) {
			throw new InvalidConfiguration(
					"MCP_AUTH_ACCESS_TOKEN_LIFETIME must be at most 1h and MCP_AUTH_REFRESH_TOKEN_LIFETIME at most "
							+ "365d, were " + accessTokenLifetime + " and " + refreshTokenLifetime,
					"Access tokens are short-lived (apps refresh them); a refresh token is replaced at every refresh.");
		}
		if (authorizationCodeLifetime.compareTo(Duration.ofMinutes(10)) > 0) {
			throw new InvalidConfiguration(
					"MCP_AUTH_CODE_LIFETIME must be at most 10m, was " + authorizationCodeLifetime,
					"Authorization codes are exchanged at once; RFC 6749 allows at most 10 minutes.");
		}
		if (maxPendingClients < 1 || registrationsPerAddress < 1) {
			throw new InvalidConfiguration(
					"MCP_AUTH_MAX_PENDING_CLIENTS and MCP_AUTH_REGISTRATIONS_PER_ADDRESS must be at least 1",
					"Set them to positive numbers such as 1000 and 20.");
		}
		nativeRedirectSchemes = nativeSchemes(nativeRedirectSchemes);
		if (metadataMaxSize.toBytes() < 512 || metadataMaxSize.toBytes() > 1024 * 1024) {
			throw new InvalidConfiguration("MCP_AUTH_METADATA_MAX_SIZE must be from 512B to 1MB",
					"Client metadata documents are a few hundred bytes; 5KB is plenty.");
		}
	}

	/**
	 * The schemes, lower case, each checked: a scheme name (RFC 3986 3.1) that no browser
	 * or system gives another meaning.
	 */
	private static List<String> nativeSchemes(List<String> configured) {
		List<String> schemes = new ArrayList<>();
		for (String entry : configured) {
			String scheme = entry.strip().toLowerCase(Locale.ROOT);
			if (scheme.isEmpty()) {
				continue;
			}
			if (!scheme.matches("[a-z][a-z0-9+.-]*") || NEVER_NATIVE.contains(scheme)) {
				throw new InvalidConfiguration(
						"MCP_AUTH_NATIVE_REDIRECT_SCHEMES lists \"" + entry.strip()
								+ "\", which is not an app's own scheme",
						"List private-use URI scheme names only, separated by commas, such as cursor (no \"://\"); "
								+ "http, https, javascript, data, file and other shared schemes are never allowed.");
			}
			schemes.add(scheme);
		}
		return List.copyOf(schemes);
	}

}
