/**
 * The benchmark: the service against the sequential paging of a popular client library,
 * on the emulator.
 */
@NullMarked
package dev.savedtracks.benchmark;

import org.jspecify.annotations.NullMarked;
