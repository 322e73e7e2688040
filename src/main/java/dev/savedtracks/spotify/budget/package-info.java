/**
 * The request budget: the permits every Spotify Web API request takes first, granted
 * fairly within the allowance the whole fleet shares, and the app-wide pause after a 429;
 * {@link dev.savedtracks.spotify.budget.RequestPermits} is its one door.
 */
@NullMarked
@NamedInterface("budget")
package dev.savedtracks.spotify.budget;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
