package dev.savedtracks.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} and rendered by Swagger UI at
 * {@code /swagger-ui.html}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String API_KEY = "apiKey";

	static final String SESSION = "browserSession";

	@Bean
	OpenAPI savedTracksOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Saved tracks API")
				.version("v1")
				.description("A person's whole Spotify saved-tracks library from a per-person cache. "
						+ "Authenticate with an API key (Authorization: Bearer sts_...) created on the home page, "
						+ "or with the browser session of a signed-in person. Errors are application/problem+json "
						+ "(RFC 9457)."))
			.components(new Components()
				.addSecuritySchemes(API_KEY,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("An API key created with POST /api/keys; sts_ followed by 43 characters."))
				.addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.COOKIE)
					.name("SESSION")
					.description("Session cookie of a person signed in with Spotify; state-changing requests also "
							+ "need the X-XSRF-TOKEN header echoing the XSRF-TOKEN cookie.")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY))
			.addSecurityItem(new SecurityRequirement().addList(SESSION));
	}

}
