/**
 * An in-process emulator of Spotify's accounts service and Web API, for tests of the
 * saved-tracks service.
 */
@NullMarked
package dev.savedtracks.emulator;

import org.jspecify.annotations.NullMarked;
