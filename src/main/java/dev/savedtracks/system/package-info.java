/** Cross-cutting setup: security filter chain, error rendering and start-up checks. */
@NullMarked
package dev.savedtracks.system;

import org.jspecify.annotations.NullMarked;
