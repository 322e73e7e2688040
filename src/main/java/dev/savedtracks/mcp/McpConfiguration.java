package dev.savedtracks.mcp;

import java.util.List;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.savedtracks.system.ApiKeyOnlyPaths;

/**
 * The MCP server at {@code /mcp}, in the application's own servlet container and port:
 * the endpoint servlet, the server that gives it the library tools, and the Origin check
 * in front of authentication. API keys are checked by the application's bearer-token
 * security chain, like every other API call.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

	private static final String INSTRUCTIONS = "Read-only access to one person's Spotify saved tracks (Liked Songs), "
			+ "served from this service's cache of their whole library. library_stats gives an overview (of the "
			+ "whole library or of a filtered part: dates saved, artist, album, release decade, explicit); "
			+ "search_saved_tracks finds and sorts tracks with the same filters; list_saved_artists and "
			+ "list_saved_albums count them; get_saved_tracks pages through the whole library, most recently saved "
			+ "first (follow nextCursor); export_library gives a download link instead of reading everything. "
			+ "Track URIs (spotify:track:...) are what playlist tools take.";

	@Bean
	ServletRegistrationBean<McpEndpoint> mcpEndpoint(LibraryTools tools, McpSettings settings, JsonMapper json,
			ObjectProvider<BuildProperties> build) {
		McpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
		McpEndpoint endpoint = new McpEndpoint(mcpJson, json, settings);
		// Building the server hands its request handlers to the endpoint; the endpoint is
		// all that needs keeping.
		McpServer.sync(endpoint)
			.serverInfo(new McpSchema.Implementation("saved-tracks-service", "Saved tracks",
					build.stream().map(BuildProperties::getVersion).findFirst().orElse("development"),
					"Read-only access to a person's Spotify saved tracks", LibraryPrompts.ICONS, null))
			.instructions(INSTRUCTIONS)
			.capabilities(
					McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build())
			.jsonMapper(mcpJson)
			.jsonSchemaValidator(new DefaultJsonSchemaValidator(json))
			.validateToolInputs(true)
			// Handlers run on the request thread, which a blocking read of the cache
			// needs, not a Reactor thread.
			.immediateExecution(true)
			.tools(tools.tools(mcpJson))
			.resources(tools.resources())
			.prompts(LibraryPrompts.prompts())
			.build();
		ServletRegistrationBean<McpEndpoint> registration = new ServletRegistrationBean<>(endpoint, McpEndpoint.PATH);
		registration.setName("mcp");
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		return registration;
	}

	/**
	 * {@code /mcp} belongs to the API-key security chain, so that a call without a key
	 * gets the bearer challenge.
	 */
	@Bean
	ApiKeyOnlyPaths mcpPaths() {
		return () -> List.of(McpEndpoint.PATH, McpEndpoint.PATH + "/**");
	}

	@Bean
	FilterRegistrationBean<McpOriginFilter> mcpOriginFilter(McpSettings settings, JsonMapper json) {
		FilterRegistrationBean<McpOriginFilter> registration = new FilterRegistrationBean<>(
				new McpOriginFilter(settings, json));
		registration.setUrlPatterns(List.of(McpEndpoint.PATH, McpEndpoint.PATH + "/*"));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

}
