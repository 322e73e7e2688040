package dev.savedtracks.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /mcp} endpoint over plain HTTP, as the Streamable HTTP transport and the
 * security rules require it to answer: who may call, from which origin, with which
 * protocol version, and what error bodies say (never a stack trace).
 */
class McpTransportTest extends EmulatedSpotifyTest {

	private static final String LIST_TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
			+ "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
			+ "\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void withoutAKeyTheAnswerIs401WithABearerChallengeAndItsMetadataIsReadable() {
		HttpResponse<String> noKey = post("/mcp", LIST_TOOLS);
		HttpResponse<String> badKey = post("/mcp", LIST_TOOLS, "Authorization", "Bearer sts_" + "A".repeat(43));

		assertThat(List.of(noKey, badKey)).allSatisfy(response -> {
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
		});
		String metadataUrl = appUrl() + "/.well-known/oauth-protected-resource/mcp";
		assertThat(List.of(noKey, badKey))
			.allSatisfy(response -> assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer ")
				.contains("resource_metadata=\"" + metadataUrl + "\""));
		JsonNode metadata = read(get(metadataUrl));
		assertThat(metadata.get("resource").asString()).as("RFC 9728 3.3: the URL the client connects to")
			.isEqualTo(appUrl() + "/mcp");
		assertThat(metadata.get("bearer_methods_supported").valueStream().map(JsonNode::asString))
			.containsExactly("header");
		assertThat(metadata.get("resource_documentation").asString()).isEqualTo(appUrl() + "/");
		assertThat(metadata.has("tls_client_certificate_bound_access_tokens")).isFalse();
		assertThat(metadata.get("authorization_servers").get(0).asString())
			.as("the MCP authorization server, for apps that connect with OAuth")
			.isEqualTo(appUrl());
	}

	@Test
	void theHttpApisChallengePointsToTheMetadataOfTheServiceAsAWhole() {
		HttpResponse<String> badKey = send(HttpRequest.newBuilder(URI.create(appUrl() + "/api/saved-tracks"))
			.header("Authorization", "Bearer sts_" + "A".repeat(43))
			.GET());

		String metadataUrl = appUrl() + "/.well-known/oauth-protected-resource";
		assertThat(badKey.statusCode()).isEqualTo(401);
		assertThat(badKey.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("resource_metadata=\"" + metadataUrl + "\"");
		assertThat(read(get(metadataUrl)).get("resource").asString()).isEqualTo(appUrl());
	}

	@Test
	void aSignedInBrowserWithoutAKeyIsNotLetIn() {
		BrowserSession browser = signedIn(newUser(1));

		HttpResponse<String> response = browser.send(mcpRequest(LIST_TOOLS).build());

		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void aKeyInTheQueryStringIsRefused() {
		String key = Agents.createKey(signedIn(newUser(1)));

		HttpResponse<String> response = post("/mcp?api_key=" + key, LIST_TOOLS);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("credential-in-query").doesNotContain(key);
	}

	@Test
	void withAKeyToolsAreListedStatelesslyWithoutInitializing() {
		String key = Agents.createKey(signedIn(newUser(1)));

		HttpResponse<String> response = post("/mcp", LIST_TOOLS, "Authorization", "Bearer " + key);

		JsonNode body = read(response);
		assertThat(body.get("result").get("tools")).hasSize(6);
		assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void aBodyLargerThanTheCapIs413BeforeTheTransportReadsIt() {
		String key = Agents.createKey(signedIn(newUser(1)));
		String large = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"pad\":\""
				+ "x".repeat(70 * 1024) + "\"}}";

		HttpResponse<String> response = post("/mcp", large, "Authorization", "Bearer " + key);
		HttpResponse<String> small = post("/mcp", LIST_TOOLS, "Authorization", "Bearer " + key);

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(response.body()).contains("request-too-large");
		assertThat(small.statusCode()).isEqualTo(200);
	}

	@Test
	void aForeignOriginIsRefusedWithOrWithoutAKey() {
		String key = Agents.createKey(signedIn(newUser(1)));

		HttpResponse<String> withKey = post("/mcp", LIST_TOOLS, "Authorization", "Bearer " + key, "Origin",
				"https://evil.example");
		HttpResponse<String> withoutKey = post("/mcp", LIST_TOOLS, "Origin", "https://evil.example");
		HttpResponse<String> ownPageOrigin = post("/mcp", LIST_TOOLS, "Authorization", "Bearer " + key, "Origin",
				appUrl());

		assertThat(List.of(withKey, withoutKey, ownPageOrigin)).allSatisfy(response -> {
			assertThat(response.statusCode()).isEqualTo(403);
			assertThat(response.body()).contains("forbidden-origin");
		});
	}

	@Test
	void anUnsupportedProtocolVersionIs400ExceptOnInitialize() {
		String key = Agents.createKey(signedIn(newUser(1)));
		String bearer = "Bearer " + key;

		HttpResponse<String> invalid = post("/mcp", LIST_TOOLS, "Authorization", bearer, "MCP-Protocol-Version",
				"1999-01-01");
		HttpResponse<String> garbage = post("/mcp", LIST_TOOLS, "Authorization", bearer, "MCP-Protocol-Version",
				"latest, please");
		HttpResponse<String> supported = post("/mcp", LIST_TOOLS, "Authorization", bearer, "MCP-Protocol-Version",
				"2025-11-25");
		HttpResponse<String> older = post("/mcp", LIST_TOOLS, "Authorization", bearer, "MCP-Protocol-Version",
				"2025-06-18");
		HttpResponse<String> initialize = post("/mcp", INITIALIZE.replace("2025-11-25", "2099-01-01"), "Authorization",
				bearer, "MCP-Protocol-Version", "2099-01-01");

		assertThat(List.of(invalid, garbage)).allSatisfy(response -> {
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.body()).contains("unsupported-protocol-version").contains("2025-11-25");
		});
		assertThat(supported.statusCode()).isEqualTo(200);
		assertThat(older.statusCode()).isEqualTo(200);
		assertThat(read(initialize).get("result").get("protocolVersion").asString()).isEqualTo("2025-11-25");
	}

	@Test
	void transportErrorsAreProblemsWithoutStackTraces() {
		String bearer = "Bearer " + Agents.createKey(signedIn(newUser(1)));
		List<HttpResponse<String>> errors = new ArrayList<>();

		errors.add(post("/mcp", "{not json", "Authorization", bearer));
		errors
			.add(send(mcpRequest(LIST_TOOLS).header("Authorization", bearer).setHeader("Accept", "application/json")));
		errors.add(send(HttpRequest.newBuilder(URI.create(appUrl() + "/mcp"))
			.header("Authorization", bearer)
			.header("Accept", "application/json, text/event-stream")
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(LIST_TOOLS))));
		HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(appUrl() + "/mcp"))
			.header("Authorization", bearer)
			.header("Accept", "text/event-stream")
			.GET());
		errors.add(get);

		assertThat(errors).extracting(HttpResponse::statusCode).containsExactly(400, 400, 415, 405);
		assertThat(errors).allSatisfy(response -> {
			assertThat(response.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
			assertThat(response.body()).hasSizeLessThan(600)
				.doesNotContain("stackTrace")
				.doesNotContain("Exception")
				.doesNotContain("io.modelcontextprotocol");
		});
		assertThat(get.headers().firstValue("Allow")).hasValue("POST");
	}

	@Test
	void jsonRpcErrorsNameNoInternals() {
		String bearer = "Bearer " + Agents.createKey(signedIn(newUser(1)));

		JsonNode unknownTool = read(post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
				+ "\"params\":{\"name\":\"drop_library\",\"arguments\":{}}}", "Authorization", bearer));
		JsonNode unreadable = read(post("/mcp",
				"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":[1,2]}", "Authorization", bearer));
		JsonNode unknownMethod = read(post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"sampling/anything\"}",
				"Authorization", bearer));

		assertThat(unknownTool.get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(unreadable.get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(unreadable.get("id").asInt()).isEqualTo(3);
		assertThat(unknownMethod.get("error").get("code").asInt()).isEqualTo(-32601);
		assertThat(List.of(unknownTool, unreadable, unknownMethod))
			.allSatisfy(body -> assertThat(body.toString()).doesNotContain("Exception")
				.doesNotContain("io.modelcontextprotocol")
				.doesNotContain("tools.jackson"));
	}

	private HttpRequest.Builder mcpRequest(String body) {
		return HttpRequest.newBuilder(URI.create(appUrl() + "/mcp"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> post(String path, String body, String... headers) {
		HttpRequest.Builder request = mcpRequest(body).uri(URI.create(appUrl() + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request);
	}

	private HttpResponse<String> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
