/**
 * Spotify's Web API as the rest of the service sees it: the {@link SpotifyClient}
 * interface, its pages and failures, who a request is for ({@link Requester}), and the
 * settings that locate Spotify. Its two subpackages depend on it, never it on them:
 * {@code budget} (the request budget, whose door other modules use too) and
 * {@code webapi} (the client, which uses {@code budget}).
 */
@NullMarked
package dev.savedtracks.spotify;

import org.jspecify.annotations.NullMarked;
