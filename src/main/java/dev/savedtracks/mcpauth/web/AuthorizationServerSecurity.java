package dev.savedtracks.mcpauth.web;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.ResourceIndicators;
import dev.savedtracks.mcpauth.client.ClientPolicy;
import dev.savedtracks.mcpauth.client.ClientRegistry;
import dev.savedtracks.mcpauth.client.PublicClients;
import dev.savedtracks.mcpauth.client.RedirectUris;
import dev.savedtracks.mcpauth.client.RegistrationLimits;
import dev.savedtracks.mcpauth.token.AuthorizationCodes;
import dev.savedtracks.mcpauth.token.McpTokenGenerator;
import dev.savedtracks.system.Problems;
import dev.savedtracks.system.SignIn;

/**
 * The security filter chain of the authorization server's own endpoints (authorization,
 * token, registration, revocation) and of the {@code /.well-known} documents, ordered
 * before the application's chains: Spring Security's authorization server, with this
 * module's clients, tokens, resource rules, consent page and limits plugged in. The
 * authorization endpoint needs the browser's sign-in (and its CSRF token for the
 * consent); the token and revocation endpoints a client's credentials or public
 * {@code client_id}; registration and metadata nothing.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerSecurity {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self'; style-src 'self'; "
			+ "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

	private static final PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();

	@Bean
	@Order(-2)
	SecurityFilterChain mcpAuthorizationServerFilterChain(HttpSecurity http, RegisteredClientRepository clients,
			ClientRegistry registry, OAuth2AuthorizationService grants, OAuth2AuthorizationConsentService consents,
			AuthorizationServerSettings server, McpAuthSettings settings, Clock clock, CsrfTokenRepository csrfTokens,
			JsonMapper json) {
		AuthorizationResponses responses = new AuthorizationResponses();
		AuthorizationCodes codes = new AuthorizationCodes(settings, clock);
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
					.errorResponseHandler(OAuthErrors.registrationErrors(json))
					.authenticationProviders(providers -> providers.forEach(provider -> {
						if (provider instanceof OAuth2ClientRegistrationAuthenticationProvider registrations) {
							registrations.setRegisteredClientConverter(ClientPolicy.fromRegistration());
							registrations.setAuthenticationValidator(
									OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
										.andThen(
												OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_JWK_SET_URI_VALIDATOR)
										.andThen(ClientPolicy
											.validator(new RedirectUris(settings.nativeRedirectSchemes()))));
						}
					})))
				.authorizationServerMetadataEndpoint(
						metadata -> metadata.authorizationServerMetadataCustomizer(ServerMetadata::describe));
		});
		http.authorizeHttpRequests(requests -> requests.requestMatchers(authorize)
			.hasAuthority(SignIn.BROWSER_AUTHORITY)
			// Introspection is Spring Security's, on for every client; not offered here.
			.requestMatchers(paths.matcher(server.getTokenIntrospectionEndpoint()))
			.denyAll()
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
					AbstractPreAuthenticatedProcessingFilter.class)
			.addFilterBefore(new RegistrationLimits(server.getClientRegistrationEndpoint(), settings,
					registry::pendingClients, json), AbstractPreAuthenticatedProcessingFilter.class)
			.requestCache(cache -> cache.requestCache(authorizationRequestsOnly(authorize)))
			.exceptionHandling(errors -> errors
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SignIn.PATH), authorize)
				.defaultAuthenticationEntryPointFor(OAuthErrors.clientAuthenticationRequired(json),
						AnyRequestMatcher.INSTANCE)
				.accessDeniedHandler(
						(request, response, ex) -> Problems.write(response,
								Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
										"This endpoint is not offered."),
								json)))
			.headers(AuthorizationServerSecurity::headers);
		return http.build();
	}

	/** Only the authorization request is remembered for after the sign-in. */
	private static HttpSessionRequestCache authorizationRequestsOnly(RequestMatcher authorize) {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		cache.setRequestMatcher(new AndRequestMatcher(authorize, request -> "GET".equals(request.getMethod())));
		return cache;
	}

	/** The headers of both of this module's chains. */
	static void headers(HeadersConfigurer<HttpSecurity> headers) {
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN));
	}

}
