package dev.savedtracks.mcpauth;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.savedtracks.system.Problems;
import dev.savedtracks.system.SignIn;

/**
 * The MCP endpoint's authorization server (Spring Security's), in two security filter
 * chains ordered before the application's own: one for the authorization server's
 * endpoints and the {@code /.well-known} documents, one for requests that carry its
 * access tokens. The rest of the wiring: opaque tokens stored hashed, clients from
 * dynamic registration or metadata documents, consents remembered in the database, and
 * the MCP endpoint's protected-resource metadata naming this server.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self'; style-src 'self'; "
			+ "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

	private static final PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();

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

	@Bean
	@Order(-2)
	SecurityFilterChain mcpAuthorizationServerFilterChain(HttpSecurity http, RegisteredClientRepository clients,
			ClientRegistry registry, OAuth2AuthorizationService grants, OAuth2AuthorizationConsentService consents,
			AuthorizationServerSettings server, McpAuthSettings settings, Clock clock, CsrfTokenRepository csrfTokens,
			JsonMapper json) {
		AuthorizationResponses responses = new AuthorizationResponses();
		OAuth2TokenGenerator<OAuth2AuthorizationCode> codes = codes(settings, clock);
		RequestMatcher wellKnown = new AndRequestMatcher(paths.matcher("/.well-known/**"),
				new NegatedRequestMatcher(paths.matcher("/.well-known/oauth-protected-resource/**")));
		RequestMatcher authorize = paths.matcher(server.getAuthorizationEndpoint());
		http.oauth2AuthorizationServer(authorizationServer -> {
			http.securityMatcher(new OrRequestMatcher(authorizationServer.getEndpointsMatcher(), wellKnown));
			authorizationServer.registeredClientRepository(clients)
				.authorizationService(grants)
				.authorizationConsentService(consents)
				.authorizationServerSettings(server)
				.tokenGenerator(new McpTokenGenerator(settings, clock))
				.clientAuthentication(clientAuthentication -> clientAuthentication
					.authenticationConverter(PublicClients.converter(server.getTokenRevocationEndpoint()))
					.authenticationProviders(providers -> providers.add(0, PublicClients.provider(clients))))
				.authorizationEndpoint(endpoint -> endpoint.consentPage(ConsentController.PATH)
					.authorizationRequestConverters(converters -> converters.replaceAll(
							converter -> (converter instanceof OAuth2AuthorizationCodeRequestAuthenticationConverter)
									? ResourceIndicators.withDefaults(converter) : converter))
					.authenticationProviders(providers -> providers.forEach(provider -> {
						if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider requests) {
							requests
								.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
									.andThen(ResourceIndicators.validator()));
							requests.setAuthorizationCodeGenerator(codes);
						}
						if (provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
							consent.setAuthorizationCodeGenerator(codes);
						}
					}))
					.authorizationResponseHandler(responses)
					.errorResponseHandler(responses))
				.clientRegistrationEndpoint(registration -> registration.openRegistrationAllowed(true)
					.authenticationProviders(providers -> providers.forEach(provider -> {
						if (provider instanceof OAuth2ClientRegistrationAuthenticationProvider registrations) {
							registrations.setRegisteredClientConverter(ClientPolicy.fromRegistration());
							registrations.setAuthenticationValidator(
									OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
										.andThen(
												OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_JWK_SET_URI_VALIDATOR)
										.andThen(ClientPolicy.validator()));
						}
					})))
				.authorizationServerMetadataEndpoint(metadata -> metadata
					.authorizationServerMetadataCustomizer(AuthorizationServerConfiguration::describe));
		});
		http.authorizeHttpRequests(requests -> requests.requestMatchers(authorize)
			.hasAuthority(SignIn.BROWSER_AUTHORITY)
			.requestMatchers(wellKnown)
			.permitAll()
			.requestMatchers(paths.matcher(HttpMethod.POST, server.getClientRegistrationEndpoint()))
			.permitAll()
			.anyRequest()
			.authenticated())
			// Registration with an initial access token is not offered: a bearer token at
			// these endpoints is refused, never decoded.
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> jwt.decoder(token -> {
				throw new BadJwtException("No access token is accepted here");
			})))
			.addFilterBefore(new ConsentCsrf(server.getAuthorizationEndpoint(), csrfTokens, json),
					org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter.class)
			.addFilterBefore(new RegistrationLimits(server.getClientRegistrationEndpoint(), settings, registry, json),
					org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter.class)
			.requestCache(cache -> cache.requestCache(authorizationRequestsOnly(authorize)))
			.exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, ex) -> {
				if (authorize.matches(request)) {
					new LoginUrlAuthenticationEntryPoint(SignIn.PATH).commence(request, response, ex);
				}
				else {
					unauthorized(response, json);
				}
			}))
			.headers(AuthorizationServerConfiguration::headers);
		return http.build();
	}

	/**
	 * Requests that carry one of this server's access tokens: {@code /mcp} with the
	 * person's library, nothing else. Stateless, like API keys.
	 */
	@Bean
	@Order(-1)
	SecurityFilterChain mcpAccessTokenFilterChain(HttpSecurity http, JdbcClient jdbc, McpAuthSettings settings,
			Clock clock, JsonMapper json) {
		AuthenticationEntryPoint unauthenticated = accessTokenChallenge(json);
		http.securityMatcher(AuthorizationServerConfiguration::carriesAccessToken)
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
			.headers(AuthorizationServerConfiguration::headers);
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

	private static void unauthorized(HttpServletResponse response, JsonMapper json) throws IOException {
		Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
				"Client authentication is required at this endpoint."), json);
	}

	/** Only the authorization request is remembered for after the sign-in. */
	private static HttpSessionRequestCache authorizationRequestsOnly(RequestMatcher authorize) {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		cache.setRequestMatcher(new AndRequestMatcher(authorize, request -> "GET".equals(request.getMethod())));
		return cache;
	}

	/**
	 * What this server really offers (RFC 8414): the code grant with PKCE (S256) and
	 * refresh tokens; secret or public clients; open registration and client metadata
	 * documents; revocation. Not offered, so not listed: signed tokens (no JWK set),
	 * introspection for third parties, mTLS or DPoP binding.
	 */
	private static void describe(OAuth2AuthorizationServerMetadata.Builder metadata) {
		List<String> methods = List.of("client_secret_basic", "client_secret_post", "none");
		metadata.tokenEndpointAuthenticationMethods(list -> {
			list.clear();
			list.addAll(methods);
		}).tokenRevocationEndpointAuthenticationMethods(list -> {
			list.clear();
			list.addAll(methods);
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

	private static OAuth2TokenGenerator<OAuth2AuthorizationCode> codes(McpAuthSettings settings, Clock clock) {
		return context -> {
			if (context.getTokenType() == null || !"code".equals(context.getTokenType().getValue())) {
				return null;
			}
			Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
			return new OAuth2AuthorizationCode(TokenHashes.generate(""), now,
					now.plus(settings.authorizationCodeLifetime()));
		};
	}

	private static void headers(HeadersConfigurer<HttpSecurity> headers) {
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN));
	}

}
