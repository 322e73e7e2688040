package dev.savedtracks.mcp;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * Origins of browser pages allowed to call {@code /mcp} ({@code https://app.example.com},
 * or {@code http://localhost:*} for any port). Requests without an {@code Origin} header,
 * which is how desktop and command-line agents call, are always allowed; any other origin
 * is refused, against DNS rebinding.
 */
@ConfigurationProperties("mcp")
record McpSettings(@DefaultValue("") List<String> allowedOrigins) {

	McpSettings {
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
