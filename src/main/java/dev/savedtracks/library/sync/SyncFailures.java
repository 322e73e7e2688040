package dev.savedtracks.library.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryWriter;

/**
 * Remembers failed syncs and when to try again: on the library row for a cached library
 * (so every replica backs off alike), in memory until then for a library with no copy yet
 * (there is no row to record it in). A failure backs off ({@link FailureBackoff}); a
 * library whose full syncs of the day are used up is checked again once per freshness
 * period; a person who must sign in again is not retried until they do.
 */
@Component
class SyncFailures {

	private static final Log logger = LogFactory.getLog(SyncFailures.class);

	private final LibraryWriter writer;

	private final LibrarySettings settings;

	private final Clock clock;

	private final FailureBackoff backoff;

	/** Failures of libraries with no copy yet, until their retry time. */
	private final Cache<String, ColdFailure> cold;

	/**
	 * People who deleted their data lately on this replica: a sync of theirs still
	 * running fails on writes the schema refuses, which is no failure to warn about.
	 */
	private final Cache<String, Boolean> deletedLately = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(10))
		.maximumSize(10_000)
		.build();

	SyncFailures(LibraryWriter writer, LibrarySettings settings, Clock clock) {
		this.writer = writer;
		this.settings = settings;
		this.clock = clock;
		this.backoff = FailureBackoff.of(settings);
		this.cold = Caffeine.newBuilder().expireAfterWrite(settings.maxFailureBackoff()).build();
	}

	/** The failure of a library with no copy yet, while its sync backs off. */
	SyncOutcome.@Nullable Unsynced coldFailure(String accountId) {
		ColdFailure failure = this.cold.getIfPresent(accountId);
		return (failure != null && this.clock.instant().isBefore(failure.retryAt())) ? failure.outcome() : null;
	}

	/** A sync of the library succeeded. */
	void succeeded(String accountId) {
		this.cold.invalidate(accountId);
	}

	/**
	 * Records a failed sync of the library whose head was {@code cached} ({@code null}:
	 * no copy yet).
	 */
	void failed(String accountId, @Nullable Head cached, SyncOutcome.Unsynced outcome) {
		if (this.deletedLately.getIfPresent(accountId) != null) {
			logger.info("A sync ended without a copy: its person deleted their data meanwhile");
			return;
		}
		StaleReason reason = outcome.staleReason();
		int failures = ((cached != null) ? cached.failures() : coldFailures(accountId)) + 1;
		Instant retryAt = (outcome instanceof SyncOutcome.SignInRequired) ? null : backoff(outcome, failures);
		if (outcome instanceof SyncOutcome.FullSyncBudgetUsed used) {
			// Checked again once per freshness period (one request: tracks added on top
			// are still taken in), not on every read, until the day's full syncs are
			// renewed.
			Instant nextCheck = this.clock.instant().plus(this.settings.freshness());
			retryAt = used.renewedAt().isBefore(nextCheck) ? used.renewedAt() : nextCheck;
			logger.info("A library's full syncs of the day are used up until " + used.renewedAt()
					+ "; its copy is served, checked again at " + retryAt);
		}
		else {
			logger.warn(
					"Sync of a library failed (" + reason.slug() + ", attempt " + failures + "): " + outcome.detail());
		}
		if (cached == null) {
			this.cold.put(accountId,
					new ColdFailure(outcome,
							(retryAt != null) ? retryAt : this.clock.instant().plus(this.settings.maxFailureBackoff()),
							failures));
			return;
		}
		try {
			this.writer.recordFailure(accountId, reason, retryAt, outcome.detail());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the failed sync of a library: " + ex.getMessage());
		}
	}

	private int coldFailures(String accountId) {
		ColdFailure failure = this.cold.getIfPresent(accountId);
		return (failure != null) ? failure.failures() : 0;
	}

	private Instant backoff(SyncOutcome.Unsynced outcome, int failures) {
		return this.clock.instant().plus(this.backoff.after(failures, outcome)).truncatedTo(ChronoUnit.MILLIS);
	}

	/** A person signed in again: a failure only they could end is over. */
	@EventListener
	void signedIn(AccountDirectory.SignedIn signedIn) {
		this.deletedLately.invalidate(signedIn.accountId());
		this.cold.invalidate(signedIn.accountId());
		try {
			this.writer.clearFailure(signedIn.accountId(), StaleReason.REAUTHORIZATION_REQUIRED);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not clear a library's sign-in failure: " + ex.getMessage());
		}
	}

	@EventListener
	void deleted(AccountDirectory.AccountDeleted deleted) {
		this.deletedLately.put(deleted.accountId(), Boolean.TRUE);
		this.cold.invalidate(deleted.accountId());
	}

	private record ColdFailure(SyncOutcome.Unsynced outcome, Instant retryAt, int failures) {
	}

}
