/**
 * Tests of the MCP server: end to end with the SDK's own client, and its pieces alone.
 */
@NullMarked
package dev.savedtracks.mcp;

import org.jspecify.annotations.NullMarked;
