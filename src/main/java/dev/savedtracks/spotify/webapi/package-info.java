/**
 * The {@link dev.savedtracks.spotify.SpotifyClient} over Spotify's Web API: the page
 * request and its retries, the exchange, what error answers and pages mean, and the
 * {@code WebClient} it uses. Nothing outside {@code spotify} uses it but through that
 * interface.
 */
@NullMarked
package dev.savedtracks.spotify.webapi;

import org.jspecify.annotations.NullMarked;
