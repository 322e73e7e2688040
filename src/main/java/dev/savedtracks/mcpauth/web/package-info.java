/**
 * The authorization server on the wire: its two security filter chains (Spring Security's
 * authorization server with this module's parts plugged in, and the access tokens at
 * {@code /mcp}), the consent page and its CSRF check, the answer that sends the browser
 * back to the app, Connected apps and {@code /.well-known}. The top layer: no other layer
 * uses it.
 */
@NullMarked
package dev.savedtracks.mcpauth.web;

import org.jspecify.annotations.NullMarked;
