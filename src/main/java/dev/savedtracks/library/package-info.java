/**
 * The per-user saved-tracks cache, its synchronisation with Spotify and the saved-tracks
 * API.
 */
@NullMarked
package dev.savedtracks.library;

import org.jspecify.annotations.NullMarked;
