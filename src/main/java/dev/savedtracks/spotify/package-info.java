/** Typed, resilient client for the Spotify Web API and the settings that locate it. */
@NullMarked
package dev.savedtracks.spotify;

import org.jspecify.annotations.NullMarked;
