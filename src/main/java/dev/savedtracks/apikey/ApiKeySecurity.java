package dev.savedtracks.apikey;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;

import dev.savedtracks.system.SignIn;

/**
 * What API keys add to both security chains: keys in a URL are refused before anything
 * else reads the request, and keys are managed from a signed-in browser only (a leaked
 * key must not be able to mint more).
 */
@Configuration(proxyBeanMethods = false)
class ApiKeySecurity {

	@Bean
	Customizer<HttpSecurity> apiKeyRules(JsonMapper json) {
		// The redirect filter comes before every authentication filter, the bearer
		// token's included.
		return http -> http
			.addFilterBefore(new ApiKeyInQueryFilter(json), OAuth2AuthorizationRequestRedirectFilter.class)
			.authorizeHttpRequests(requests -> requests.requestMatchers("/api/keys", "/api/keys/**")
				.hasAuthority(SignIn.BROWSER_AUTHORITY));
	}

}
