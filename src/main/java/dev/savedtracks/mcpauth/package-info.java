/**
 * The service as the OAuth 2.1 authorization server of its MCP endpoint: AI apps that
 * connect only with OAuth (Claude.ai, ChatGPT) register, send the person through the
 * sign-in with Spotify and a consent page, and get tokens that read that person's library
 * at {@code /mcp} and nowhere else.
 */
@NullMarked
package dev.savedtracks.mcpauth;

import org.jspecify.annotations.NullMarked;
