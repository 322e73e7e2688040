package dev.savedtracks.me;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

import dev.savedtracks.system.SignIn;

/**
 * API keys read; they do not destroy: deleting a person's data takes their signed-in
 * browser session (with its CSRF token), so a leaked key cannot wipe everything.
 */
@Configuration(proxyBeanMethods = false)
class MeSecurity {

	@Bean
	Customizer<HttpSecurity> deletionFromBrowserOnly() {
		return http -> http.authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.DELETE, "/api/me")
			.hasAuthority(SignIn.BROWSER_AUTHORITY)
			.requestMatchers(HttpMethod.PUT, "/api/me/language")
			.hasAuthority(SignIn.BROWSER_AUTHORITY));
	}

}
