/**
 * The per-user saved-tracks cache, its synchronisation with Spotify and the saved-tracks
 * API. Other modules use this package only: {@link dev.savedtracks.library.Library} (the
 * one door), the values it hands out ({@link dev.savedtracks.library.Track},
 * {@link dev.savedtracks.library.StaleReason}) and the settings. Inside, layers that only
 * call downwards: {@code web} (HTTP) over {@code read} (the serve-or-sync decision, the
 * door's implementation) over {@code answer} (encoding answers) and {@code sync}, both
 * over {@code store} (JDBC on {@code library} and {@code library_track});
 * {@code ModularStructureTest} keeps them so.
 */
@NullMarked
package dev.savedtracks.library;

import org.jspecify.annotations.NullMarked;
