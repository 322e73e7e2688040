/**
 * Sign-in with Spotify, the people who signed in, and their tokens kept encrypted at
 * rest.
 */
@NullMarked
package dev.savedtracks.account;

import org.jspecify.annotations.NullMarked;
