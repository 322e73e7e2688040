/**
 * Grants and their credentials: codes and tokens generated, stored only as hashes in the
 * shared database, checked at {@code /mcp}, rotated, revoked and cleaned up, and the
 * consents a person gave (Connected apps). Knows clients through Spring Security's
 * repository and the {@code client} layer; never the web layer.
 */
@NullMarked
package dev.savedtracks.mcpauth.token;

import org.jspecify.annotations.NullMarked;
