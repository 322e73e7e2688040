/**
 * The service as the OAuth 2.1 authorization server of its MCP endpoint: AI apps that
 * connect only with OAuth (Claude.ai, ChatGPT) register, send the person through the
 * sign-in with Spotify and a consent page, and get tokens that read that person's library
 * at {@code /mcp} and nowhere else.
 * <p>
 * Layers, each using only those below it ({@code McpAuthStructureTest} checks):
 * {@code web} (the security chains, the consent page, Connected apps), {@code token}
 * (grants, stored hashed), {@code client} (registration, metadata documents, redirect
 * URIs), and this package, what they all share: the settings
 * ({@link dev.savedtracks.mcpauth.McpAuthSettings}) and the one resource and scope a
 * grant is for ({@link dev.savedtracks.mcpauth.ResourceIndicators}). Other modules use
 * none of it: the module adds its chains and pages to the application as beans.
 */
@NullMarked
package dev.savedtracks.mcpauth;

import org.jspecify.annotations.NullMarked;
