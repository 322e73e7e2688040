/**
 * Doing a piece of work once per key: on this replica (concurrent callers share one run)
 * and across replicas (expiring, fenced leases in the shared database).
 */
@NullMarked
package dev.savedtracks.coordination;

import org.jspecify.annotations.NullMarked;
