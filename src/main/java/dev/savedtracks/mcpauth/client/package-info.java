/**
 * Who may be a client of the MCP authorization server: dynamic registration's rules and
 * limits, client metadata documents (fetched over HTTPS from public addresses only), the
 * redirect URIs a client may register, and public clients' authentication. Uses the
 * module's settings and resource only.
 */
@NullMarked
package dev.savedtracks.mcpauth.client;

import org.jspecify.annotations.NullMarked;
