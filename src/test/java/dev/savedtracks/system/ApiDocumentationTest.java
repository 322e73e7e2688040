package dev.savedtracks.system;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The OpenAPI document served at {@code /v3/api-docs}: it documents every endpoint, its
 * parameters, formats, errors and credentials; it is valid OpenAPI that passes the lint
 * rules generated clients depend on ({@link OpenApiLint}); and it is the one committed in
 * {@code docs/openapi.json}, from which the {@code openapi-client} profile generates and
 * compiles a Java client.
 */
class ApiDocumentationTest extends EmulatedSpotifyTest {

	/** The committed document. */
	static final Path SNAPSHOT = Path.of("docs", "openapi.json");

	/** The served document, written by every run in the snapshot's layout. */
	static final Path SERVED = Path.of("target", "openapi.json");

	private static final JsonMapper snapshotLayout = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
		.build();

	@Test
	void openApiDescribesEveryEndpointWithItsErrorsAndTheBearerScheme() {
		HttpResponse<String> response = new BrowserSession(appUrl()).api("/v3/api-docs");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode api = json.readTree(response.body());
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
			.allSatisfy(operation -> {
				assertThat(operation.get("responses").get("403").get("description").asString()).contains("API key");
				assertThat(operation.get("security").valueStream().flatMap(r -> r.propertyNames().stream()))
					.containsExactly("browserSession");
			});
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
	void servedDocumentIsValidOpenApi() {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);

		SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(servedDocument(), null, options);

		assertThat(parsed.getMessages()).as("swagger-parser's validation messages").isEmpty();
		assertThat(parsed.getOpenAPI()).isNotNull();
	}

	@Test
	void servedDocumentPassesTheLintRules() {
		JsonNode api = json.readTree(servedDocument());

		List<String> problems = OpenApiLint.problems(api);

		assertThat(problems).as("lint problems of /v3/api-docs").isEmpty();
	}

	@Test
	void servedDocumentIsTheCommittedOne() throws IOException {
		JsonNode served = json.readTree(servedDocument());
		Files.createDirectories(SERVED.getParent());
		Files.writeString(SERVED, snapshotLayout.writeValueAsString(served) + "\n", StandardCharsets.UTF_8);

		JsonNode committed = Files.exists(SNAPSHOT) ? json.readTree(SNAPSHOT.toFile()) : json.missingNode();

		if (!served.equals(committed)) {
			fail(SNAPSHOT + " is not the document served at /v3/api-docs, which this test wrote to " + SERVED
					+ ". If the change is meant, commit the served one: cp " + SERVED + " " + SNAPSHOT
					+ "\nDifferences: " + differences(committed, served));
		}
	}

	@Test
	void swaggerUiIsServed() {
		HttpResponse<String> response = new BrowserSession(appUrl()).navigate(appUrl() + "/swagger-ui.html");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("swagger-ui");
	}

	private String servedDocument() {
		HttpResponse<String> response = new BrowserSession(appUrl()).api("/v3/api-docs");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/** Where two documents differ, as JSON pointers (the first ten). */
	private static List<String> differences(JsonNode committed, JsonNode served) {
		List<String> found = new ArrayList<>();
		differences(committed, served, "", found);
		return (found.size() > 10) ? found.subList(0, 10) : found;
	}

	private static void differences(JsonNode committed, JsonNode served, String at, List<String> found) {
		if (committed.equals(served)) {
			return;
		}
		if (committed.isObject() && served.isObject()) {
			Set<String> names = new TreeSet<>(committed.propertyNames());
			names.addAll(served.propertyNames());
			for (String name : names) {
				differences(committed.path(name), served.path(name),
						at + "/" + name.replace("~", "~0").replace("/", "~1"), found);
			}
			return;
		}
		found.add("#" + at + (committed.isMissingNode() ? " (new)" : served.isMissingNode() ? " (gone)" : ""));
	}

}
