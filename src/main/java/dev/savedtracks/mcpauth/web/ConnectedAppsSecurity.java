package dev.savedtracks.mcpauth.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

import dev.savedtracks.system.SignIn;

/**
 * Connected apps are managed from a signed-in browser only: neither an API key nor an
 * app's own token can list or disconnect them.
 */
@Configuration(proxyBeanMethods = false)
class ConnectedAppsSecurity {

	@Bean
	Customizer<HttpSecurity> connectedAppsFromBrowserOnly() {
		return http -> http
			.authorizeHttpRequests(requests -> requests.requestMatchers("/api/connected-apps", "/api/connected-apps/**")
				.hasAuthority(SignIn.BROWSER_AUTHORITY));
	}

}
