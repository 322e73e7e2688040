package dev.savedtracks.system;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} and rendered by Swagger UI at
 * {@code /swagger-ui.html}: what the whole API shares (its licence, server, tags,
 * credentials and problem body); each controller describes its own operations.
 * {@code ApiDocumentationTest} lints it and keeps {@code docs/openapi.json} equal to it.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String API_KEY = "apiKey";

	static final String SESSION = "browserSession";

	/** The name springdoc gives {@link org.springframework.http.ProblemDetail}. */
	static final String PROBLEM = "ProblemDetail";

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	@Bean
	OpenAPI savedTracksOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Saved tracks API")
				.version("v1")
				.description("A person's whole Spotify saved-tracks library from a per-person cache. "
						+ "Authenticate with an API key (Authorization: Bearer sts_...) created on the home page, "
						+ "or with the browser session of a signed-in person. Errors are application/problem+json "
						+ "(RFC 9457). AI agents read the same library through the MCP server at /mcp, which this "
						+ "document does not describe.")
				.license(new License().name("Apache License 2.0").identifier("Apache-2.0")))
			// Relative: the host that served this document, wherever it is deployed.
			.servers(List.of(new Server().url("/").description("The service that serves this document")))
			.tags(List.of(
					new Tag().name("Saved tracks")
						.description("The caller's whole saved-tracks library from the per-person cache, as JSON, "
								+ "CSV or NDJSON."),
					new Tag().name("Me")
						.description("Who the caller is, how their cached library and its sync stand, and deleting "
								+ "everything the service keeps about them."),
					new Tag().name("API keys")
						.description("Keys for the caller's other services, managed from a signed-in browser "
								+ "session only (a key cannot mint or revoke keys)."),
					new Tag().name("Connected apps")
						.description("AI apps the caller allowed to read their library through the MCP server, "
								+ "managed from a signed-in browser session only.")))
			.components(new Components()
				.addSecuritySchemes(API_KEY,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("sts_ API key")
							.description("An API key created with POST /api/keys; sts_ followed by 43 characters."))
				.addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.COOKIE)
					.name("SESSION")
					.description("Session cookie of a person signed in with Spotify; state-changing requests also "
							+ "need the X-XSRF-TOKEN header echoing the XSRF-TOKEN cookie.")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY))
			.addSecurityItem(new SecurityRequirement().addList(SESSION));
	}

	/**
	 * What springdoc cannot see: every operation needs credentials, so every one may
	 * answer 401; and a problem's extension members are members of the body itself (as
	 * Spring writes them), not a {@code properties} object (as springdoc reads the
	 * class).
	 */
	@Bean
	OpenApiCustomizer unauthenticatedAndProblems() {
		return api -> {
			api.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
				ApiResponses responses = operation.getResponses();
				responses.putIfAbsent("401",
						new ApiResponse()
							.description("No valid credential: no API key or "
									+ "signed-in session, or a key that is unknown, expired or revoked")
							.content(problemContent()));
				Map<String, ApiResponse> byCode = new TreeMap<>(responses);
				responses.clear();
				responses.putAll(byCode);
			}));
			api.getComponents().addSchemas(PROBLEM, problem());
		};
	}

	private static Content problemContent() {
		return new Content().addMediaType(PROBLEM_JSON,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
	}

	/**
	 * An RFC 9457 problem as this service writes it, with the extension members some
	 * problems carry.
	 */
	private static Schema<?> problem() {
		Schema<?> invalidParameter = new ObjectSchema().addProperty("name", new StringSchema())
			.addProperty("reason", new StringSchema());
		return new ObjectSchema()
			.description("An RFC 9457 problem; type is urn:problem-type:saved-tracks:<slug>, the slug naming what "
					+ "happened")
			.addProperty("type", new StringSchema().format("uri"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema().format("int32"))
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema().format("uri"))
			.addProperty("reason",
					new StringSchema().description("Why Spotify refused access (spotify-access-denied only)"))
			.addProperty("signInUrl",
					new StringSchema().description("Where to sign in again (reauthorization-required only)"))
			.addProperty("invalid-params",
					new ArraySchema().items(invalidParameter)
						.description("The rejected query parameters and why (invalid-parameters only)"))
			.additionalProperties(true);
	}

}
