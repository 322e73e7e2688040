/** Per-person API keys that let other services call the API without a browser session. */
@NullMarked
package dev.savedtracks.apikey;

import org.jspecify.annotations.NullMarked;
