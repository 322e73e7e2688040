package dev.savedtracks.system;

import java.util.List;

/**
 * Paths a feature serves to API keys only (such as the MCP endpoint for AI agents): they
 * belong to the API-key security chain even when a request carries no key, so that it is
 * answered with the bearer challenge rather than as a browser would be. A feature
 * declares them as a bean.
 */
@FunctionalInterface
public interface ApiKeyOnlyPaths {

	/** Path patterns, such as {@code /mcp/**}. */
	List<String> patterns();

}
