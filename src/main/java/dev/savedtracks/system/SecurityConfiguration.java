package dev.savedtracks.system;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadataClaimNames;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two security filter chains: a stateless one for API keys
 * ({@code Authorization: Bearer}), and one for browsers with sign-in through Spotify
 * (authorization code + state + PKCE) and cookie sessions with CSRF protection. Both send
 * strict security headers, and API requests get 401 problem+json instead of a redirect.
 * Features add what is theirs (filters, rules for their paths) as
 * {@code Customizer<HttpSecurity>} beans, which Spring Security applies to both chains
 * before the rules here; the sign-in's parts (failure handler, user service, token
 * client) are beans of Spring Security's own types, and so is what a feature adds to the
 * protected-resource metadata
 * ({@code Customizer<OAuth2ProtectedResourceMetadata.Builder>}, such as the authorization
 * server of the MCP endpoint). Features with callers of their own kind (OAuth clients of
 * the MCP endpoint) bring chains of their own, ordered before these two.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' https://i.scdn.co data:; "
			+ "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	/**
	 * Calls from other services, recognised by their {@code Authorization: Bearer}
	 * header, get a chain of their own with only what a stateless API key needs: no
	 * session is read or written, no CSRF token is asked for (the key is not sent by
	 * browsers on their own, so a forged cross-site request cannot carry it), no request
	 * is saved for after sign-in, and the sign-in and sign-out pages are not involved. It
	 * is the hottest path of the service, and every filter left out is time every call
	 * saves.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain apiKeyFilterChain(HttpSecurity http, JsonMapper json, List<ApiKeyOnlyPaths> apiKeyOnly,
			ObjectProvider<Customizer<OAuth2ProtectedResourceMetadata.Builder>> resourceDescriptions) {
		AuthenticationEntryPoint unauthenticated = problemEntryPoint(json, ownMetadata(apiKeyOnly));
		AccessDeniedHandler forbidden = forbidden(json);
		http.securityMatcher(
				new OrRequestMatcher(SecurityConfiguration::carriesBearerToken, apiKeyOnlyPaths(apiKeyOnly)))
			.authorizeHttpRequests(SecurityConfiguration::authorizeRequests)
			.oauth2ResourceServer(bearer -> bearer.opaqueToken(Customizer.withDefaults())
				.protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(described -> {
					describeApiKeys(described);
					resourceDescriptions.orderedStream().forEach(feature -> feature.customize(described));
				}))
				.authenticationEntryPoint(unauthenticated)
				.accessDeniedHandler(forbidden))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> anonymous.disable())
			.exceptionHandling(
					errors -> errors.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
			.headers(SecurityConfiguration::headers);
		return http.build();
	}

	/**
	 * Everything else: pages and the browser's own calls, signed in with Spotify and kept
	 * in a cookie session.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain browserFilterChain(HttpSecurity http, JsonMapper json,
			AuthenticationFailureHandler signInFailures, CsrfTokenRepository csrfTokens,
			SessionAuthenticationStrategy signedInSessions) {
		RequestMatcher apiRequests = apiRequests();
		AuthenticationEntryPoint unauthenticated = problemEntryPoint(json, request -> false);
		http.authorizeHttpRequests(SecurityConfiguration::authorizeRequests)
			.oauth2Login(login -> login.failureHandler(signInFailures)
				.withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {

					@Override
					public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
						filter.setAuthenticationFailureHandler(SecurityConfiguration::signInNotStarted);
						return filter;
					}

				}))
			.requestCache(cache -> cache.requestCache(pagesOnly(apiRequests)))
			.sessionManagement(sessions -> sessions.sessionAuthenticationStrategy(signedInSessions))
			.logout(logout -> logout.logoutSuccessUrl("/"))
			.csrf(csrf -> csrf.spa().csrfTokenRepository(csrfTokens))
			.exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(unauthenticated, apiRequests)
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SignIn.PATH),
						AnyRequestMatcher.INSTANCE)
				.defaultAccessDeniedHandlerFor(forbidden(json), AnyRequestMatcher.INSTANCE))
			.headers(SecurityConfiguration::headers);
		return http.build();
	}

	private static void authorizeRequests(
			AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
		requests
			.requestMatchers("/", "/signin-error", "/error", "/css/**", "/js/**", "/favicon.ico", "/v3/api-docs",
					"/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/livez", "/readyz")
			.permitAll()
			// Actuator endpoints are served only on the management port, which is not
			// published.
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.permitAll()
			.anyRequest()
			.authenticated();
	}

	private static void headers(HeadersConfigurer<HttpSecurity> headers) {
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN));
	}

	/**
	 * Starting a sign-in failed (the session holding its state could not be read or
	 * written): with the database down or out of connections that is a 503 to retry, not
	 * the filter's default 500.
	 */
	private static void signInNotStarted(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ex) throws IOException {
		if (DatabaseFailures.isDatabaseDown(ex)) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			response.sendError(HttpStatus.SERVICE_UNAVAILABLE.value());
			return;
		}
		response.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value());
	}

	/**
	 * Paths for API keys only, which belong to this chain even when a request carries no
	 * key, so that it is answered with the bearer challenge: what features declare
	 * ({@link ApiKeyOnlyPaths}, such as the MCP endpoint for AI agents), and the
	 * protected-resource metadata (RFC 9728) that the challenge points to, which must be
	 * readable without a key.
	 */
	private static RequestMatcher apiKeyOnlyPaths(List<ApiKeyOnlyPaths> declared) {
		return new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher("/.well-known/oauth-protected-resource/**"),
				ownMetadata(declared));
	}

	/**
	 * The protected-resource metadata tells the truth about API keys: sent in the
	 * Authorization header, not bound to a TLS client certificate, and issued by no
	 * authorization server but by the person on the home page.
	 */
	private static void describeApiKeys(OAuth2ProtectedResourceMetadata.Builder metadata) {
		metadata.resourceName("saved-tracks-service").claims(claims -> {
			claims.remove(OAuth2ProtectedResourceMetadataClaimNames.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS);
			String resource = String.valueOf(claims.get(OAuth2ProtectedResourceMetadataClaimNames.RESOURCE));
			claims.put("resource_documentation", URI.create(resource).resolve("/").toString());
		});
	}

	/**
	 * The path of the resource asked for, as RFC 9728 appends it to the well-known path:
	 * no trailing slash.
	 */
	private static String resourcePath(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/** RFC 6750 section 2.1: the scheme name is case-insensitive. */
	private static boolean carriesBearerToken(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
	}

	/**
	 * The paths features declare for keys only, such as {@code /mcp}: resources with
	 * metadata of their own.
	 */
	private static RequestMatcher ownMetadata(List<ApiKeyOnlyPaths> declared) {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		List<RequestMatcher> matchers = new ArrayList<>();
		declared.forEach(feature -> feature.patterns().forEach(pattern -> matchers.add(paths.matcher(pattern))));
		return matchers.isEmpty() ? request -> false : new OrRequestMatcher(matchers);
	}

	/**
	 * 401 as problem+json. For bearer requests the {@code WWW-Authenticate} challenge of
	 * RFC 6750 comes first, and unknown, revoked and expired keys all get the same
	 * answer. A resource with metadata of its own (the MCP endpoint, which clients take
	 * as the resource they connect to) points to that document: RFC 9728 section 3.3 asks
	 * that the metadata's {@code resource} be the URL the client used, and Spring
	 * Security serves it at the well-known path followed by the resource's path.
	 */
	private static AuthenticationEntryPoint problemEntryPoint(JsonMapper json, RequestMatcher ownMetadata) {
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		challenge.setRealmName("saved-tracks");
		return (request, response, ex) -> {
			challenge.commence(request, response, ex);
			String header = response.getHeader(HttpHeaders.WWW_AUTHENTICATE);
			if (header != null && ownMetadata.matches(request)) {
				String root = "/.well-known/oauth-protected-resource\"";
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
						header.replace(root, "/.well-known/oauth-protected-resource" + resourcePath(request) + "\""));
			}
			Problems.write(response,
					Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
							"Sign in with Spotify at " + SignIn.PATH
									+ ", or send a valid API key as Authorization: Bearer <key>."),
					json);
		};
	}

	private static AccessDeniedHandler forbidden(JsonMapper json) {
		return (request, response,
				ex) -> Problems.write(response,
						Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
								"The request was refused: a missing or invalid CSRF token, or an API key used where "
										+ "only a signed-in browser may act (managing API keys, deleting data)."),
						json);
	}

	/**
	 * Remember only page navigations to return to after sign-in; API calls must not
	 * create a session.
	 */
	private static RequestCache pagesOnly(RequestMatcher apiRequests) {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		cache.setRequestMatcher(new NegatedRequestMatcher(apiRequests));
		return cache;
	}

	/**
	 * Requests from programs rather than page navigations: the API, XHR/fetch, and
	 * clients asking for JSON.
	 */
	static RequestMatcher apiRequests() {
		MediaTypeRequestMatcher json = new MediaTypeRequestMatcher(MediaType.APPLICATION_JSON,
				MediaType.APPLICATION_PROBLEM_JSON);
		json.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		return new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
				new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest"), json);
	}

}
