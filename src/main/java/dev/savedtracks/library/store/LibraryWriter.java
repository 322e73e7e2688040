package dev.savedtracks.library.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.LibrarySettings;

/**
 * Every change to a cached library happens here, each in one transaction that first
 * checks the writer's lease ({@link Lease#guard()}): a replica whose lease lapsed writes
 * nothing. A reader sees either the previous copy or the new one: a full sync writes a
 * new generation of rows page by page, which no reader looks at, and then switches the
 * library to it in one small transaction that first counts its rows. The replaced copy is
 * kept for {@code LIBRARY_RETIRED_COPY_GRACE} for downloads still reading it, then
 * deleted. Rows of a person whose data was deleted cannot be written: the schema's
 * foreign keys refuse them.
 */
@Component
public class LibraryWriter {

	private static final Log logger = LogFactory.getLog(LibraryWriter.class);

	private final LibraryHeads heads;

	private final TrackRows tracks;

	private final TransactionTemplate transaction;

	private final LibrarySettings settings;

	private final Clock clock;

	public LibraryWriter(LibraryHeads heads, TrackRows tracks, PlatformTransactionManager transactions,
			LibrarySettings settings, Clock clock) {
		this.heads = heads;
		this.tracks = tracks;
		this.transaction = new TransactionTemplate(transactions);
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Starts a new generation for a full sync: deletes what earlier syncs that never
	 * finished left behind, and returns a generation number no row of this library has.
	 */
	public long startGeneration(String accountId, @Nullable Head current, Lease lease) {
		long generation = (current != null) ? current.generation() : -1;
		inTransaction(lease, () -> this.tracks.deleteAbove(accountId, generation));
		return generation + 1;
	}

	/** Stores rows of a new generation. */
	public void write(String accountId, long generation, List<TrackRows.Seq> rows, Lease lease) {
		if (!rows.isEmpty()) {
			inTransaction(lease, () -> this.tracks.insert(accountId, generation, rows));
		}
	}

	/**
	 * Makes a new copy the current one, if it holds exactly {@code rows} rows; the copy
	 * it replaces is retired.
	 * @return the new head, or empty when the rows do not add up (the copy was not
	 * switched to)
	 */
	public Optional<Head> switchTo(String accountId, @Nullable Head previous, LibraryHeads.NewCopy copy, int rows,
			Lease lease) {
		return Objects.requireNonNull(this.transaction.execute(status -> {
			lease.guard();
			if (this.tracks.count(accountId, copy.generation()) != rows) {
				return Optional.<Head>empty();
			}
			// Only one retired copy is kept: one retired by an earlier switch goes now.
			this.heads.retired(accountId).ifPresent(retired -> {
				this.tracks.deleteGeneration(accountId, retired);
				this.heads.forgetRetired(accountId, retired);
			});
			return Optional.of(this.heads.switched(accountId, previous, copy, now()));
		}));
	}

	/**
	 * Adds {@code rows} (in Spotify's order) on top of the copy {@code head} describes.
	 * @return the new head, or empty when another writer changed the library first
	 */
	public Optional<Head> addOnTop(String accountId, Head head, List<TrackRow> rows, int spotifyTotal, Lease lease) {
		return Objects.requireNonNull(this.transaction.execute(status -> {
			lease.guard();
			List<TrackRows.Seq> seqs = new ArrayList<>(rows.size());
			for (int i = 0; i < rows.size(); i++) {
				seqs.add(new TrackRows.Seq(head.topSeq() + rows.size() - i, rows.get(i)));
			}
			Optional<Head> added = this.heads.addedOnTop(accountId, head, rows.size(), spotifyTotal, now());
			if (added.isPresent()) {
				this.tracks.insert(accountId, head.generation(), seqs);
			}
			return added;
		}));
	}

	/** Spotify confirmed the copy. */
	public Head confirm(String accountId, Head head, Lease lease) {
		return Objects.requireNonNull(this.transaction.execute(status -> {
			lease.guard();
			return this.heads.confirmed(accountId, head, now());
		}));
	}

	/**
	 * Deletes a generation that will never be switched to, unless the lease is lost (its
	 * new holder cleans up).
	 */
	public void discard(String accountId, long generation, Lease lease) {
		try {
			inTransaction(lease, () -> this.tracks.deleteGeneration(accountId, generation));
		}
		catch (RuntimeException ex) {
			// The next sync of this library deletes it instead; the failure that got us
			// here matters more.
			logger.warn("Could not discard an unfinished copy of a library: " + ex.getMessage());
		}
	}

	/**
	 * Deletes the rows of copies retired longer ago than readers may take to read them.
	 */
	@Scheduled(fixedDelayString = "${library.retired-copy-sweep:60s}",
			initialDelayString = "${library.retired-copy-sweep:60s}")
	public void sweepRetiredCopies() {
		Instant before = this.clock.instant().minus(this.settings.retiredCopyGrace());
		try {
			for (LibraryHeads.Retired retired : this.heads.retiredBefore(before)) {
				this.transaction.executeWithoutResult(status -> {
					this.tracks.deleteGeneration(retired.accountId(), retired.generation());
					this.heads.forgetRetired(retired.accountId(), retired.generation());
				});
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete retired library copies: " + ex.getMessage());
		}
	}

	private void inTransaction(Lease lease, Runnable write) {
		this.transaction.executeWithoutResult(status -> {
			lease.guard();
			write.run();
		});
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
