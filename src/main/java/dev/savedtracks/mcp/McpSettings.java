package dev.savedtracks.mcp;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * The MCP endpoint's settings.
 *
 * @param allowedOrigins origins of browser pages allowed to call {@code /mcp}
 * ({@code https://app.example.com}, or {@code http://localhost:*} for any port). Requests
 * without an {@code Origin} header, which is how desktop and command-line agents call,
 * are always allowed; any other origin is refused, against DNS rebinding.
 * @param maxRequestSize the largest JSON-RPC message accepted (413 beyond)
 * @param callsPerPerson tool calls and resource reads one person may have running at
 * once, all their API keys and connected apps together
 * @param maxCalls tool calls and resource reads running at once on this replica, everyone
 * together, so that other requests always find threads and connections
 * @param retryAfter what an over-limit call is told to wait before trying again
 * @param resourceMaxTracks the largest library the CSV resource holds; a larger one is
 * answered with a download link
 */
@ConfigurationProperties("mcp")
record McpSettings(@DefaultValue("") List<String> allowedOrigins, @DefaultValue("64KB") DataSize maxRequestSize,
		@DefaultValue("2") int callsPerPerson, @DefaultValue("16") int maxCalls,
		@DefaultValue("2s") Duration retryAfter, @DefaultValue("1000") int resourceMaxTracks) {

	McpSettings {
		if (maxRequestSize.toBytes() < 1024 || callsPerPerson < 1 || maxCalls < callsPerPerson
				|| retryAfter.isNegative() || resourceMaxTracks < 0) {
			throw new InvalidConfiguration("MCP limits are out of range",
					"MCP_MAX_REQUEST_SIZE must be at least 1KB, MCP_CALLS_PER_PERSON at least 1, MCP_MAX_CALLS at "
							+ "least MCP_CALLS_PER_PERSON, and MCP_RETRY_AFTER and MCP_RESOURCE_MAX_TRACKS not negative.");
		}
		allowedOrigins = allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList();
		for (String origin : allowedOrigins) {
			if (!origin.matches("https?://[^/?#\\s]+") || origin.endsWith(":")) {
				throw new InvalidConfiguration("MCP_ALLOWED_ORIGINS holds an invalid origin: " + origin,
						"List origins as scheme://host[:port], comma-separated, without a path, e.g. "
								+ "https://app.example.com,http://localhost:*");
			}
		}
	}

}
