package dev.savedtracks.mcpauth.web;

import java.time.Clock;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.Customizer;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.ResourceIndicators;
import dev.savedtracks.mcpauth.client.ClientMetadataDocuments;
import dev.savedtracks.mcpauth.client.ClientRegistry;
import dev.savedtracks.mcpauth.token.HashedAuthorizationService;

/**
 * The parts of the MCP endpoint's authorization server (Spring Security's) that are this
 * module's own: its issuer, clients from dynamic registration or metadata documents,
 * grants stored hashed, consents remembered in the database, and the MCP endpoint's
 * protected-resource metadata naming this server. Its two security filter chains are
 * {@link AuthorizationServerSecurity} and {@link AccessTokenSecurity}.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	@Bean
	AuthorizationServerSettings authorizationServerSettings(McpAuthSettings settings) {
		AuthorizationServerSettings.Builder builder = AuthorizationServerSettings.builder();
		if (!settings.issuer().isEmpty()) {
			builder.issuer(settings.issuer());
		}
		return builder.build();
	}

	@Bean
	ClientRegistry registeredClientRepository(JdbcTemplate jdbcTemplate, JdbcClient jdbc, McpAuthSettings settings,
			SslBundles bundles, JsonMapper json, Clock clock) {
		return new ClientRegistry(new JdbcRegisteredClientRepository(jdbcTemplate),
				new ClientMetadataDocuments(settings, bundles, json), jdbc, settings, clock);
	}

	@Bean
	OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbcTemplate,
			RegisteredClientRepository clients) {
		return new JdbcOAuth2AuthorizationConsentService(jdbcTemplate, clients);
	}

	@Bean
	OAuth2AuthorizationService authorizationService(JdbcClient jdbc, RegisteredClientRepository clients,
			JsonMapper json, Clock clock) {
		return new HashedAuthorizationService(jdbc, clients, json, clock);
	}

	/**
	 * The MCP endpoint's protected-resource metadata (RFC 9728) names this authorization
	 * server and the scope it grants; the API's (the service as a whole) does not: its
	 * tokens work at {@code /mcp} only.
	 */
	@Bean
	Customizer<OAuth2ProtectedResourceMetadata.Builder> mcpAuthorizationServer(McpAuthSettings settings) {
		return metadata -> metadata.claims(claims -> {
			String resource = String.valueOf(claims.get("resource"));
			if (!resource.endsWith("/mcp")) {
				return;
			}
			String issuer = settings.issuer().isEmpty() ? resource.substring(0, resource.length() - "/mcp".length())
					: settings.issuer();
			claims.put("authorization_servers", List.of(issuer));
			claims.put("scopes_supported", List.of(ResourceIndicators.SCOPE));
		});
	}

}
