package dev.savedtracks.library.store;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.savedtracks.library.LibrarySettings;

/**
 * Deletes the rows of copies retired longer ago than readers may take to read them
 * ({@code LIBRARY_RETIRED_COPY_GRACE}); a copy replaced before then stays readable by the
 * downloads still going through it.
 */
@Component
class RetiredCopies {

	private static final Log logger = LogFactory.getLog(RetiredCopies.class);

	private final LibraryReader reader;

	private final LibraryWriter writer;

	private final TransactionTemplate transaction;

	private final LibrarySettings settings;

	private final Clock clock;

	RetiredCopies(LibraryReader reader, LibraryWriter writer, PlatformTransactionManager transactions,
			LibrarySettings settings, Clock clock) {
		this.reader = reader;
		this.writer = writer;
		this.transaction = new TransactionTemplate(transactions);
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${library.retired-copy-sweep:60s}",
			initialDelayString = "${library.retired-copy-sweep:60s}")
	void sweep() {
		Instant before = this.clock.instant().minus(this.settings.retiredCopyGrace());
		try {
			for (LibraryReader.Retired retired : this.reader.retiredBefore(before)) {
				this.transaction.executeWithoutResult(
						status -> this.writer.deleteRetired(retired.accountId(), retired.generation()));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete retired library copies: " + ex.getMessage());
		}
	}

}
