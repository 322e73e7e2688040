/**
 * The caller's own account: what the service knows about them, and deleting all of it.
 */
@NullMarked
package dev.savedtracks.me;

import org.jspecify.annotations.NullMarked;
