/** Server-rendered pages for people using a browser. */
@NullMarked
package dev.savedtracks.web;

import org.jspecify.annotations.NullMarked;
