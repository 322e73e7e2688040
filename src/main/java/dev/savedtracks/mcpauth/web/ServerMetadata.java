package dev.savedtracks.mcpauth.web;

import java.net.URI;
import java.util.List;

import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;

import dev.savedtracks.mcpauth.ResourceIndicators;

/**
 * What this server really offers (RFC 8414): the code grant with PKCE (S256) and refresh
 * tokens; secret or public clients; open registration and client metadata documents;
 * revocation. Not offered, so not listed: signed tokens (no JWK set), introspection for
 * third parties, mTLS or DPoP binding.
 */
final class ServerMetadata {

	private static final List<String> CLIENT_AUTHENTICATION = List.of("client_secret_basic", "client_secret_post",
			"none");

	private ServerMetadata() {
	}

	static void describe(OAuth2AuthorizationServerMetadata.Builder metadata) {
		metadata.tokenEndpointAuthenticationMethods(list -> {
			list.clear();
			list.addAll(CLIENT_AUTHENTICATION);
		}).tokenRevocationEndpointAuthenticationMethods(list -> {
			list.clear();
			list.addAll(CLIENT_AUTHENTICATION);
		}).grantTypes(list -> {
			list.clear();
			list.add("authorization_code");
			list.add("refresh_token");
		}).codeChallengeMethods(list -> {
			list.clear();
			list.add("S256");
		}).scope(ResourceIndicators.SCOPE).claims(claims -> {
			claims.remove("jwks_uri");
			claims.remove("introspection_endpoint");
			claims.remove("introspection_endpoint_auth_methods_supported");
			claims.remove("tls_client_certificate_bound_access_tokens");
			claims.remove("dpop_signing_alg_values_supported");
			claims.put("client_id_metadata_document_supported", true);
			claims.put("response_modes_supported", List.of("query"));
			claims.put("service_documentation", URI.create(String.valueOf(claims.get("issuer")) + "/").toString());
		});
	}

}
