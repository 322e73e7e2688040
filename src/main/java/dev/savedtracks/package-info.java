/**
 * Saved-tracks service: sign in with Spotify and read your whole library through one
 * cached endpoint.
 */
@NullMarked
package dev.savedtracks;

import org.jspecify.annotations.NullMarked;
