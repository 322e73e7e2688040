package dev.savedtracks.library.sync;

import dev.savedtracks.library.StaleReason;

/**
 * A failure of the library's own that says which stale reason callers are told: the
 * reason travels with the failure as a value, not as a type to test for.
 */
interface SyncFailure {

	StaleReason staleReason();

}
