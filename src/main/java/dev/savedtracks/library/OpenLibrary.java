package dev.savedtracks.library;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * A library opened for one answer: the copy to serve (its head), whether it is fresh or why not, and the window
 * asked for. Everything an answer's headers say comes from here, and its rows are read from exactly this copy.
 * @param stale why the copy could not be confirmed with Spotify just now; {@code null} when it is fresh
 * @param fullSyncThrottled when {@code refresh=full} was asked for too soon after the last full sync: how long
 * until it may be asked again (the answer revalidated instead)
 */
record OpenLibrary(String accountId, Head head, @Nullable StaleReason stale, LibraryWindow window,
		@Nullable Duration fullSyncThrottled) {

	/** How many tracks the answer holds. */
	int items() {
		return Math.min(this.window.limit(), Math.max(0, this.head.total() - this.window.offset()));
	}

	/**
	 * Weak, because the same content may be sent gzip-compressed or not. Derived from the account, the copy (its
	 * epoch and version: versions restart after a person deletes their data and signs in again, epochs do not), the
	 * window and the format: it changes exactly when the answer's content does, and two people's answers never share
	 * one.
	 */
	String etag(String format) {
		String basis = this.accountId + "|" + this.head.epoch() + "|" + this.head.version() + "|"
				+ this.window.offset() + "|" + this.window.limit() + "|" + format;
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
			return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** When the copy was last synced, for Last-Modified; -1 when unknown. */
	long lastModified() {
		return (this.head.syncedAt() != null) ? this.head.syncedAt().toEpochMilli() : -1;
	}

}
