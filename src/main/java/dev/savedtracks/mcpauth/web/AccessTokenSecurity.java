package dev.savedtracks.mcpauth.web;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.ResourceIndicators;
import dev.savedtracks.mcpauth.token.McpAccessTokens;
import dev.savedtracks.mcpauth.token.McpTokenGenerator;
import dev.savedtracks.system.Problems;

/**
 * The security filter chain of requests that carry one of the authorization server's
 * access tokens: {@code /mcp} with the person's library, nothing else. Stateless, like
 * API keys, and ordered before the application's chains.
 */
@Configuration(proxyBeanMethods = false)
class AccessTokenSecurity {

	@Bean
	@Order(-1)
	SecurityFilterChain mcpAccessTokenFilterChain(HttpSecurity http, JdbcClient jdbc, McpAuthSettings settings,
			Clock clock, JsonMapper json) {
		AuthenticationEntryPoint unauthenticated = accessTokenChallenge(json);
		http.securityMatcher(AccessTokenSecurity::carriesAccessToken)
			.authorizeHttpRequests(requests -> requests.requestMatchers("/mcp", "/mcp/**")
				.hasAuthority("SCOPE_" + ResourceIndicators.SCOPE)
				.anyRequest()
				.denyAll())
			.oauth2ResourceServer(resourceServer -> resourceServer
				.authenticationManagerResolver(new McpAccessTokens(jdbc, settings, clock))
				.authenticationEntryPoint(unauthenticated))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> anonymous.disable())
			.exceptionHandling(errors -> errors.authenticationEntryPoint(unauthenticated))
			.headers(AuthorizationServerSecurity::headers);
		return http.build();
	}

	/**
	 * RFC 6750 section 2.1 (the scheme is case-insensitive), with this server's prefix.
	 */
	private static boolean carriesAccessToken(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
				&& authorization.startsWith(McpTokenGenerator.ACCESS_PREFIX, 7);
	}

	/**
	 * 401 problem+json with the bearer challenge, pointing at the MCP endpoint's
	 * protected-resource metadata for requests to it (RFC 9728 section 5.1).
	 */
	private static AuthenticationEntryPoint accessTokenChallenge(JsonMapper json) {
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		challenge.setRealmName("saved-tracks");
		return (request, response, ex) -> {
			challenge.commence(request, response, ex);
			String header = response.getHeader(HttpHeaders.WWW_AUTHENTICATE);
			String path = request.getRequestURI().substring(request.getContextPath().length());
			if (header != null && (path.equals("/mcp") || path.startsWith("/mcp/"))) {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, header
					.replace("/.well-known/oauth-protected-resource\"", "/.well-known/oauth-protected-resource/mcp\""));
			}
			Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
					"The access token is unknown, expired, revoked, or not for this resource. Connect the app again."),
					json);
		};
	}

}
