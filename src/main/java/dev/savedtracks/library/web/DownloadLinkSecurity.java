package dev.savedtracks.library.web;

import java.util.List;

import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

import dev.savedtracks.library.read.DownloadLinks;

/**
 * The security filter chain of download links: the token in the path is the credential
 * ({@link DownloadLinkController} checks it), so no session, cookie or key is read or
 * made, and the chain is ordered before every other one (a link works whatever
 * {@code Authorization} header a client adds).
 */
@Configuration(proxyBeanMethods = false)
class DownloadLinkSecurity {

	@Bean
	@Order(-3)
	SecurityFilterChain downloadLinkFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(DownloadLinks.PATH + "**")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> anonymous.disable())
			.headers(headers -> headers.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'")));
		return http.build();
	}

	/**
	 * In the OpenAPI document, a download link needs no credential (the token in its path
	 * is one): {@code security: [{}]}, rather than the document's default of an API key
	 * or a session.
	 */
	@Bean
	OperationCustomizer downloadLinksNeedNoCredential() {
		return (operation, handler) -> {
			if (handler.getBeanType() == DownloadLinkController.class) {
				operation.setSecurity(List.of(new SecurityRequirement()));
			}
			return operation;
		};
	}

}
