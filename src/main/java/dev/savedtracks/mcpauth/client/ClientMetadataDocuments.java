package dev.savedtracks.mcpauth.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import dev.savedtracks.mcpauth.McpAuthSettings;

/**
 * Fetches Client ID Metadata Documents: a client whose {@code client_id} is an HTTPS URL
 * describes itself in the JSON document at that URL. Every fetch is bounded: HTTPS only,
 * no redirect followed, the host's addresses checked when the connection is made (so a
 * name that resolves to a private address, now or by rebinding, is refused:
 * {@link FetchableAddresses}), {@code MCP_AUTH_METADATA_TIMEOUT} for the whole answer and
 * {@code MCP_AUTH_METADATA_MAX_SIZE} for its body. The trust store is the JVM's, or the
 * SSL bundle {@value #SSL_BUNDLE} when one is configured.
 */
public final class ClientMetadataDocuments {

	static final String SSL_BUNDLE = "mcp-auth-client-metadata";

	private final McpAuthSettings settings;

	private final SslBundles bundles;

	private final JsonMapper json;

	private final RedirectUris redirectUris;

	public ClientMetadataDocuments(McpAuthSettings settings, SslBundles bundles, JsonMapper json) {
		this.settings = settings;
		this.bundles = bundles;
		this.json = json;
		this.redirectUris = new RedirectUris(settings.nativeRedirectSchemes());
	}

	/** A client described by its document, or why it cannot be. */
	Described fetch(String clientId) throws ClientMetadataRefused {
		URI url = checkedUrl(clientId);
		// Refused before any connection; IP literals never reach the resolver below.
		try {
			for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
				if (!FetchableAddresses.allowed(address, this.settings.metadataAllowLoopback())) {
					throw new ClientMetadataRefused("the client_id's host is not a public address");
				}
			}
		}
		catch (UnknownHostException ex) {
			throw new ClientMetadataRefused("the client_id's host is unknown");
		}
		String body;
		try {
			body = client().get()
				.uri(url)
				.accept(MediaType.APPLICATION_JSON)
				.retrieve()
				.bodyToMono(String.class)
				.block(this.settings.metadataTimeout());
		}
		catch (RuntimeException ex) {
			throw new ClientMetadataRefused(
					"the client metadata document could not be fetched (" + ex.getClass().getSimpleName() + ")");
		}
		if (body == null) {
			throw new ClientMetadataRefused("the client metadata document is empty");
		}
		return parse(clientId, body);
	}

	Described parse(String clientId, String body) throws ClientMetadataRefused {
		JsonNode document;
		try {
			document = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new ClientMetadataRefused("the client metadata document is not JSON");
		}
		if (!document.isObject() || !clientId.equals(document.path("client_id").asString(""))) {
			throw new ClientMetadataRefused("the document's client_id must be the URL it is served at");
		}
		String method = document.path("token_endpoint_auth_method").asString("none");
		if (!"none".equals(method)) {
			throw new ClientMetadataRefused("only public clients (token_endpoint_auth_method none) may use a "
					+ "client metadata document here");
		}
		List<String> redirectUris = new ArrayList<>();
		document.path("redirect_uris").valueStream().forEach(uri -> redirectUris.add(uri.asString("")));
		String problem = this.redirectUris.problem(redirectUris);
		if (problem != null) {
			throw new ClientMetadataRefused(problem);
		}
		JsonNode name = document.path("client_name");
		return new Described((name.isString() && !name.asString().isBlank()) ? name.asString() : null, redirectUris);
	}

	/**
	 * An https URL with a host and a path, without fragment, user info or dot segments.
	 */
	static URI checkedUrl(String clientId) throws ClientMetadataRefused {
		URI url;
		try {
			url = new URI(clientId);
		}
		catch (java.net.URISyntaxException ex) {
			throw new ClientMetadataRefused("the client_id is not a URL");
		}
		String path = url.getRawPath();
		if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
				|| url.getRawFragment() != null || path == null || path.isEmpty() || path.equals("/")
				|| path.contains("/./") || path.contains("/../") || clientId.length() > 1000) {
			throw new ClientMetadataRefused("a client_id URL must be https with a path, without fragment or "
					+ "user info, at most 1,000 characters");
		}
		return url;
	}

	private WebClient client() {
		HttpClient http = HttpClient.create()
			.resolver(new PublicAddressResolver(this.settings.metadataAllowLoopback()))
			.followRedirect(false)
			.responseTimeout(this.settings.metadataTimeout())
			.option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, this.settings.metadataTimeout().toMillis()));
		SslBundle bundle = bundle();
		if (bundle != null) {
			http = http.secure(ssl -> ssl.sslContext(Http11SslContextSpec.forClient()
				.configure(builder -> builder.trustManager(bundle.getManagers().getTrustManagerFactory()))));
		}
		return WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) this.settings.metadataMaxSize().toBytes()))
			.build();
	}

	private @Nullable SslBundle bundle() {
		try {
			return this.bundles.getBundle(SSL_BUNDLE);
		}
		catch (NoSuchSslBundleException ex) {
			return null;
		}
	}

	/** What a client metadata document says that the server uses. */
	record Described(@Nullable String clientName, List<String> redirectUris) {
	}

	/** Why a client metadata document was not accepted, in words for the client. */
	static final class ClientMetadataRefused extends Exception {

		private static final long serialVersionUID = 1L;

		ClientMetadataRefused(String reason) {
			super(reason);
		}

	}

}
