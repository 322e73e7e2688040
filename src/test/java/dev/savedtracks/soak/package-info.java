/**
 * The soak test: 200 mixed callers against the emulator with injected faults, and 100
 * large windows at once.
 */
@NullMarked
package dev.savedtracks.soak;

import org.jspecify.annotations.NullMarked;
