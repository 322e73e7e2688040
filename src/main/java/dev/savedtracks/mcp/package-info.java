/**
 * The library for AI agents: an MCP server at {@code /mcp} (Streamable HTTP, stateless)
 * with read-only tools.
 */
@NullMarked
package dev.savedtracks.mcp;

import org.jspecify.annotations.NullMarked;
