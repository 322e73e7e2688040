package dev.savedtracks.library.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.MutableClock;
import dev.savedtracks.coordination.LeaseLost;
import dev.savedtracks.coordination.LeaseFixtures;
import dev.savedtracks.coordination.Leases;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;

import static dev.savedtracks.library.LibraryFixtures.numbered;
import static dev.savedtracks.library.LibraryFixtures.row;
import static dev.savedtracks.library.LibraryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every change to a cached library, on the schema Flyway builds, each in a transaction of
 * its own (none of the test's around it), those of a sync fenced by its lease.
 */
@JdbcTest
@Import(LibraryReader.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class LibraryWriterTest {

	private static final Duration TTL = Duration.ofSeconds(30);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

	private final LibrarySettings settings = LibraryFixtures.settings(DataSize.ofMegabytes(1));

	@Autowired
	private LibraryReader reader;

	@Autowired
	private JdbcTemplate template;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private PlatformTransactionManager transactions;

	private LibraryWriter writer;

	private RetiredCopies retiredCopies;

	private Leases leases;

	private Lease lease;

	@BeforeEach
	void account() {
		this.jdbc.sql("insert into account (spotify_id, created_at, updated_at) values ('alice', ?, ?)")
			.params(Timestamp.from(this.clock.instant()), Timestamp.from(this.clock.instant()))
			.update();
		this.writer = new LibraryWriter(this.reader, this.jdbc, this.template, this.transactions, this.clock);
		this.retiredCopies = new RetiredCopies(this.reader, this.writer, this.transactions, this.settings, this.clock);
		this.leases = LeaseFixtures.withoutRenewals(this.jdbc, this.clock);
		this.lease = this.leases.tryAcquire("library:alice", TTL).orElseThrow();
	}

	@AfterEach
	void forget() {
		this.jdbc.sql("delete from account").update();
		this.jdbc.sql("delete from lease").update();
	}

	@Test
	void copyWhoseRowsAddUpIsSwitchedTo() {
		long generation = this.writer.startGeneration("alice", null, this.lease);
		this.writer.write("alice", generation, numbered(rows(3, 1)), this.lease);

		Optional<Head> head = this.writer.switchTo("alice", null, newCopy(generation, 3), 3, this.lease);

		assertThat(head).isPresent();
		assertThat(this.reader.head("alice")).hasValueSatisfying(found -> {
			assertThat(found.generation()).isEqualTo(generation);
			assertThat(found.total()).isEqualTo(3);
			assertThat(found.version()).isEqualTo(1);
		});
	}

	@Test
	void copyWhoseRowsDoNotAddUpIsNotSwitchedTo() {
		this.writer.write("alice", 0, numbered(rows(3, 1)), this.lease);

		Optional<Head> head = this.writer.switchTo("alice", null, newCopy(0, 4), 4, this.lease);

		assertThat(head).isEmpty();
		assertThat(this.reader.head("alice")).isEmpty();
	}

	@Test
	void newGenerationStartsAboveTheCurrentOneAndClearsWhatUnfinishedSyncsLeft() {
		Head current = switchedTo(0, 3, null);
		this.writer.write("alice", 1, numbered(rows(50, 1)), this.lease);
		this.writer.write("alice", 2, numbered(rows(50, 1)), this.lease);

		long generation = this.writer.startGeneration("alice", current, this.lease);

		assertThat(generation).isEqualTo(1);
		assertThat(List.of(this.reader.count("alice", 0), this.reader.count("alice", 1), this.reader.count("alice", 2)))
			.containsExactly(3, 0, 0);
	}

	@Test
	void replacedCopyIsKeptForItsReadersUntilTheGracePeriodHasPassed() {
		Head first = switchedTo(0, 3, null);
		Head second = switchedTo(1, 4, first);

		this.retiredCopies.sweep();

		assertThat(this.reader.count("alice", 0)).isEqualTo(3);
		assertThat(this.reader.retired("alice")).hasValue(0L);
		assertThat(second.version()).isEqualTo(first.version() + 1);
		assertThat(second.epoch()).isEqualTo(first.epoch());
		this.clock.advance(this.settings.retiredCopyGrace().plusSeconds(1));
		this.retiredCopies.sweep();
		assertThat(this.reader.count("alice", 0)).isZero();
		assertThat(this.reader.retired("alice")).isEmpty();
		assertThat(this.reader.count("alice", 1)).isEqualTo(4);
	}

	@Test
	void onlyOneReplacedCopyIsKept() {
		Head first = switchedTo(0, 3, null);
		Head second = switchedTo(1, 4, first);

		switchedTo(2, 5, second);

		assertThat(this.reader.count("alice", 0)).isZero();
		assertThat(this.reader.count("alice", 1)).isEqualTo(4);
		assertThat(this.reader.retired("alice")).hasValue(1L);
	}

	@Test
	void tracksAddedOnTopGoAboveTheCopysTopInSpotifysOrder() {
		Head head = switchedTo(0, 3, null);
		List<TrackRow> added = List.of(row("new2", "2030-01-02T00:00:00Z"), row("new1", "2030-01-01T00:00:00Z"));

		Optional<Head> after = this.writer.addOnTop("alice", head, added, 5, this.clock.instant(), this.lease);

		assertThat(after).hasValueSatisfying(next -> {
			assertThat(next.topSeq()).isEqualTo(5);
			assertThat(next.version()).isEqualTo(head.version() + 1);
			assertThat(this.reader.top("alice", next, 5)).extracting(TrackRow::key)
				.containsExactly("new2", "new1", "t3", "t2", "t1");
		});
		assertThat(this.reader.head("alice")).map(Head::total).hasValue(5);
		assertThat(this.reader.top("alice", head, 5)).extracting(TrackRow::key).containsExactly("t3", "t2", "t1");
	}

	@Test
	void additionsToACopyThatChangedMeanwhileAreRefused() {
		Head head = switchedTo(0, 3, null);
		this.writer.addOnTop("alice", head, List.of(row("first", "2030-01-01T00:00:00Z")), 4, this.clock.instant(),
				this.lease);

		Optional<Head> late = this.writer.addOnTop("alice", head, List.of(row("late", "2030-01-02T00:00:00Z")), 4,
				this.clock.instant(), this.lease);

		assertThat(late).isEmpty();
		assertThat(this.reader.count("alice", 0)).isEqualTo(4);
		assertThat(this.reader.head("alice")).map(Head::total).hasValue(4);
	}

	@Test
	void writerWhoseLeaseLapsedWritesNothing() {
		// Renewals never ran (a database blip), the time to live passed, and another
		// replica took the lease.
		Head head = switchedTo(0, 3, null);
		this.clock.advance(TTL.plusSeconds(1));
		Optional<Lease> taken = LeaseFixtures.withoutRenewals(this.jdbc, this.clock).tryAcquire("library:alice", TTL);

		assertThat(taken).isPresent();
		assertThatExceptionOfType(LeaseLost.class)
			.isThrownBy(() -> this.writer.write("alice", 1, numbered(rows(3, 1)), this.lease));
		assertThatExceptionOfType(LeaseLost.class).isThrownBy(() -> this.writer.addOnTop("alice", head,
				List.of(row("new", "2030-01-01T00:00:00Z")), 4, this.clock.instant(), this.lease));
		assertThatExceptionOfType(LeaseLost.class)
			.isThrownBy(() -> this.writer.switchTo("alice", head, newCopy(0, 3), 3, this.lease));
		assertThatExceptionOfType(LeaseLost.class)
			.isThrownBy(() -> this.writer.startGeneration("alice", head, this.lease));
		this.clock.advance(Duration.ofMinutes(1));
		assertThatExceptionOfType(LeaseLost.class)
			.isThrownBy(() -> this.writer.confirm("alice", head, this.clock.instant(), this.lease));
		assertThat(this.reader.count("alice", 1)).isZero();
		assertThat(this.reader.count("alice", 0)).isEqualTo(3);
		assertThat(this.reader.head("alice")).hasValue(head);
	}

	@Test
	void writerWhoseLeaseWasTakenOverWithoutItsKnowledgeWritesNothing() {
		// Another replica's clock runs ahead: to it the lease has lapsed, to its holder
		// it has not.
		Head head = switchedTo(0, 3, null);
		Clock ahead = Clock.offset(this.clock, TTL.plusSeconds(1));
		LeaseFixtures.withoutRenewals(this.jdbc, ahead).tryAcquire("library:alice", TTL).orElseThrow();

		assertThat(this.lease.isHeld()).isTrue();
		assertThatExceptionOfType(LeaseLost.class)
			.isThrownBy(() -> this.writer.write("alice", 1, numbered(rows(3, 1)), this.lease));
		assertThatExceptionOfType(LeaseLost.class).isThrownBy(() -> this.writer.addOnTop("alice", head,
				List.of(row("new", "2030-01-01T00:00:00Z")), 4, this.clock.instant(), this.lease));
		assertThat(this.reader.count("alice", 1)).isZero();
		assertThat(this.reader.head("alice")).hasValue(head);
		assertThat(this.lease.isHeld()).isFalse();
	}

	@Test
	void unfinishedCopyIsDiscardedUnlessTheLeaseWasLost() {
		this.writer.write("alice", 1, numbered(rows(3, 1)), this.lease);
		this.writer.write("alice", 2, numbered(rows(3, 1)), this.lease);

		this.writer.discard("alice", 1, this.lease);
		this.clock.advance(TTL.plusSeconds(1));
		this.writer.discard("alice", 2, this.lease);

		assertThat(this.reader.count("alice", 1)).isZero();
		assertThat(this.reader.count("alice", 2)).isEqualTo(3);
	}

	@Test
	void rowsOfAPersonWhoseDataWasDeletedAreRefused() {
		this.jdbc.sql("delete from account where spotify_id = 'alice'").update();

		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.writer.write("alice", 0, numbered(rows(3, 1)), this.lease));
		assertThat(this.reader.count("alice", 0)).isZero();
	}

	@Test
	void confirmingRecordsWhenSpotifyWasAskedNotWhenTheConfirmationIsWritten() {
		Head head = switchedTo(0, 3, null);
		this.writer.recordFailure("alice", StaleReason.SPOTIFY_UNAVAILABLE, this.clock.instant().plusSeconds(60),
				"boom");
		this.clock.advance(Duration.ofSeconds(10));
		Instant asked = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(15));

		Head confirmed = this.writer.confirm("alice", head, asked, this.lease);

		assertThat(confirmed.checkedAt()).isEqualTo(asked);
		assertThat(confirmed.staleReason()).isNull();
		assertThat(this.reader.head("alice")).hasValue(confirmed);
	}

	@Test
	void newCopyIsCheckedWhenSpotifyWasAskedAndStoredWhenSwitchedTo() {
		Head first = switchedTo(0, 3, null);
		Instant asked = this.clock.instant().plusSeconds(1);
		this.clock.advance(Duration.ofSeconds(25));
		this.writer.write("alice", 1, numbered(rows(4, 1)), this.lease);

		Head second = this.writer
			.switchTo("alice", first, new NewCopy(1, 4, 4, 4, 0, 0, "digest", null, asked), 4, this.lease)
			.orElseThrow();

		assertThat(second.checkedAt()).as("freshness starts when Spotify was asked").isEqualTo(asked);
		assertThat(second.fullSyncedAt()).isEqualTo(asked);
		assertThat(second.syncedAt()).as("stored at the switch").isEqualTo(this.clock.instant());
		assertThat(this.reader.head("alice")).hasValue(second);
	}

	@Test
	void tracksAddedOnTopAreCheckedWhenSpotifyWasAsked() {
		Head head = switchedTo(0, 3, null);
		Instant asked = this.clock.instant().plusSeconds(1);
		this.clock.advance(Duration.ofSeconds(25));

		Head after = this.writer
			.addOnTop("alice", head, List.of(row("new", "2030-01-01T00:00:00Z")), 4, asked, this.lease)
			.orElseThrow();

		assertThat(after.checkedAt()).isEqualTo(asked);
		assertThat(after.syncedAt()).isEqualTo(this.clock.instant());
		assertThat(this.reader.head("alice")).hasValue(after);
	}

	/**
	 * Writes a copy of {@code total} tracks as {@code generation} and switches the
	 * library to it.
	 */
	private Head switchedTo(long generation, int total, Head previous) {
		this.writer.write("alice", generation, numbered(rows(total, 1)), this.lease);
		return this.writer.switchTo("alice", previous, newCopy(generation, total), total, this.lease).orElseThrow();
	}

	private NewCopy newCopy(long generation, int total) {
		return new NewCopy(generation, total, total, total, 0, 0, "digest", null, this.clock.instant());
	}

}
