package dev.savedtracks.system;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description documents every endpoint, its parameters, formats, errors and
 * the bearer scheme.
 */
class ApiDocumentationTest extends EmulatedSpotifyTest {

	@Test
	void openApiDescribesEveryEndpointWithItsErrorsAndTheBearerScheme() {
		HttpResponse<String> response = new BrowserSession(appUrl()).api("/v3/api-docs");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode api = JsonMapper.builder().build().readTree(response.body());
		JsonNode paths = api.get("paths");
		assertThat(paths.has("/api/saved-tracks")).isTrue();
		assertThat(paths.get("/api/keys").has("post")).isTrue();
		assertThat(paths.get("/api/keys").has("get")).isTrue();
		assertThat(paths.get("/api/keys/{id}").has("delete")).isTrue();
		assertThat(paths.get("/api/me").has("get")).isTrue();
		assertThat(paths.get("/api/me").has("delete")).isTrue();
		assertThat(List.of(paths.get("/api/keys").get("post"), paths.get("/api/keys").get("get"),
				paths.get("/api/keys/{id}").get("delete"), paths.get("/api/me").get("delete")))
			.as("what an API key may not do is documented")
			.allSatisfy(operation -> assertThat(operation.get("responses").get("403").get("description").asString())
				.contains("API key"));
		JsonNode savedTracks = paths.get("/api/saved-tracks").get("get");
		assertThat(savedTracks.get("parameters").valueStream().map(p -> p.get("name").asString())).contains("offset",
				"limit", "refresh");
		assertThat(savedTracks.get("responses").propertyNames()).contains("200", "304", "400", "401", "406", "502",
				"503");
		assertThat(savedTracks.get("responses").get("200").get("content").propertyNames()).contains("application/json",
				"text/csv", "application/x-ndjson");
		assertThat(api.get("components").get("securitySchemes").get("apiKey").get("scheme").asString())
			.isEqualTo("bearer");
		assertThat(response.body()).contains("\"durationMs\"").contains("\"releaseDate\"");
	}

	@Test
	void swaggerUiIsServed() {
		HttpResponse<String> response = new BrowserSession(appUrl()).navigate(appUrl() + "/swagger-ui.html");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("swagger-ui");
	}

}
