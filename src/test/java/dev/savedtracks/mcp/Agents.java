package dev.savedtracks.mcp;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.BrowserSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the MCP endpoint as an AI agent does: the SDK's own client, with the person's API
 * key as bearer token.
 */
final class Agents {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Agents() {
	}

	/** An API key created by the signed-in person, as they would on the home page. */
	static String createKey(BrowserSession browser) {
		HttpResponse<String> created = browser.write("POST", "/api/keys", "{\"name\":\"agent\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).get("key").asString();
	}

	/**
	 * An initialized client of {@code appUrl}/mcp that sends {@code key} with every
	 * request.
	 */
	static McpSyncClient connect(String appUrl, String key) {
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(appUrl)
			.endpoint("/mcp")
			.addHttpRequestCustomizer(
					(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + key))
			.build();
		McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
		client.initialize();
		return client;
	}

	static CallToolResult call(McpSyncClient agent, String tool, Map<String, Object> arguments) {
		return agent.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
	}

	/** The structured content of a successful call. */
	static JsonNode structured(CallToolResult result) {
		assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
		return json.valueToTree(result.structuredContent());
	}

	/** The text rendering of a call's result. */
	static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
