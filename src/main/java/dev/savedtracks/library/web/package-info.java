/**
 * The library's HTTP layer: {@code GET /api/saved-tracks} and
 * {@code GET /api/sync-status}, parsing requests and saying in headers what the answer
 * is.
 */
@NullMarked
package dev.savedtracks.library.web;

import org.jspecify.annotations.NullMarked;
