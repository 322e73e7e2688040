package dev.savedtracks.library.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.savedtracks.library.LibraryFixtures.copy;
import static dev.savedtracks.library.LibraryFixtures.numbered;
import static dev.savedtracks.library.LibraryFixtures.row;
import static dev.savedtracks.library.LibraryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The cached tracks on the schema Flyway builds: copies read exactly, in chunks, and
 * written only for accounts. The imports are LibraryWriterTest's, so that both run in one
 * application context.
 */
@JdbcTest
@Import(LibraryReader.class)
class LibraryReaderTest {

	@Autowired
	private LibraryReader tracks;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void account() {
		this.jdbc.sql("insert into account (spotify_id, created_at, updated_at) values ('alice', ?, ?)")
			.params(Timestamp.from(Instant.now()), Timestamp.from(Instant.now()))
			.update();
	}

	@Test
	void atMostHalfOfThePoolsConnectionsReadInBulk() {
		try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource()) {
			pool.setMaximumPoolSize(10);
			assertThat(BulkReads.connections(pool)).isEqualTo(5);
			pool.setMaximumPoolSize(1);
			assertThat(BulkReads.connections(pool)).as("at least one").isEqualTo(1);
		}
	}

	@Test
	void chunksAddUpToTheWindowExactly() throws Exception {
		insert("alice", 0, numbered(rows(1234, 1)));
		List<List<String>> chunks = new ArrayList<>();

		this.tracks.chunks("alice", copy(0, 1234), 7, 1000, 100, chunks::add);

		assertThat(chunks).hasSize(10).allSatisfy(chunk -> assertThat(chunk).hasSize(100));
		assertThat(chunks.stream().flatMap(List::stream).toList())
			.isEqualTo(this.tracks.window("alice", copy(0, 1234), 7, 1000))
			.startsWith(json("t1227"), json("t1226"))
			.endsWith(json("t228"));
	}

	@Test
	void lastChunkHoldsTheRestOfTheWindow() throws Exception {
		insert("alice", 0, numbered(rows(25, 1)));
		List<List<String>> chunks = new ArrayList<>();

		this.tracks.chunks("alice", copy(0, 25), 0, 25, 10, chunks::add);

		assertThat(chunks).extracting(List::size).containsExactly(10, 10, 5);
		assertThat(chunks.get(2)).containsExactly(json("t5"), json("t4"), json("t3"), json("t2"), json("t1"));
	}

	@Test
	void copyIsReadUpToItsTopSeqAlthoughTracksWereAddedOnTopSince() throws Exception {
		insert("alice", 0, numbered(rows(10, 1)));
		Head before = copy(0, 10);
		insert("alice", 0, List.of(new SeqRow(11, row("new", "2030-01-01T00:00:00Z"))));
		List<String> read = new ArrayList<>();

		this.tracks.chunks("alice", before, 0, 10, 3, read::addAll);

		assertThat(read).hasSize(10).doesNotContain(json("new")).startsWith(json("t10"));
		assertThat(this.tracks.window("alice", before, 0, 10)).isEqualTo(read);
		assertThat(this.tracks.top("alice", before, 1)).extracting(TrackRow::key).containsExactly("t10");
		assertThat(this.tracks.top("alice", copy(0, 11), 1)).extracting(TrackRow::key).containsExactly("new");
	}

	@Test
	void otherGenerationsAndAccountsAreNotRead() throws Exception {
		this.jdbc.sql("insert into account (spotify_id, created_at, updated_at) values ('bob', ?, ?)")
			.params(Timestamp.from(Instant.now()), Timestamp.from(Instant.now()))
			.update();
		insert("alice", 0, numbered(rows(5, 1)));
		insert("alice", 1, numbered(rows(105, 101)));
		insert("bob", 0, numbered(rows(205, 201)));
		List<String> read = new ArrayList<>();

		this.tracks.chunks("alice", copy(0, 5), 0, 5, 2, read::addAll);

		assertThat(read).containsExactly(json("t5"), json("t4"), json("t3"), json("t2"), json("t1"));
	}

	@Test
	void copyDeletedWhileItIsReadIsGone() {
		insert("alice", 0, numbered(rows(30, 1)));
		List<String> read = new ArrayList<>();

		assertThatExceptionOfType(LibraryReader.CopyGone.class)
			.isThrownBy(() -> this.tracks.chunks("alice", copy(0, 30), 0, 30, 10, chunk -> {
				read.addAll(chunk);
				this.jdbc.sql("delete from library_track where account_id = 'alice'").update();
			}));
		assertThat(read).hasSize(10);
	}

	@Test
	void copyDeletedBeforeItIsReadIsGone() {
		assertThatExceptionOfType(LibraryReader.CopyGone.class)
			.isThrownBy(() -> this.tracks.chunks("alice", copy(0, 30), 0, 30, 10, chunk -> {
			}));
	}

	@Test
	void anyOfMoreKeysThanOneQueryTakesIsFound() {
		insert("alice", 0, numbered(rows(10, 1)));
		List<String> absent = IntStream.range(0, 2000).mapToObj(i -> "absent" + i).toList();
		List<String> lastPresent = new ArrayList<>(absent);
		lastPresent.add("t3");

		assertThat(this.tracks.containsAny("alice", copy(0, 10), absent)).isFalse();
		assertThat(this.tracks.containsAny("alice", copy(0, 10), lastPresent)).isTrue();
		assertThat(this.tracks.containsAny("alice", copy(0, 10), List.of())).isFalse();
	}

	@Test
	void keysAboveTheCopysTopOrInAnotherGenerationAreNotInTheCopy() {
		insert("alice", 0, numbered(rows(10, 1)));
		insert("alice", 1, numbered(List.of(row("other", "2030-01-01T00:00:00Z"))));

		assertThat(this.tracks.containsAny("alice", copy(0, 9), List.of("t10"))).isFalse();
		assertThat(this.tracks.containsAny("alice", copy(0, 10), List.of("t10"))).isTrue();
		assertThat(this.tracks.containsAny("alice", copy(0, 10), List.of("other"))).isFalse();
	}

	private static String json(String id) {
		return "{\"id\":\"" + id + "\"}";
	}

	/** Rows as a sync stores them, without a sync. */
	private void insert(String accountId, long generation, List<SeqRow> rows) {
		for (SeqRow row : rows) {
			this.jdbc
				.sql("insert into library_track (account_id, generation, seq, track_key, added_at, item_json) "
						+ "values (?, ?, ?, ?, ?, ?)")
				.params(accountId, generation, row.seq(), row.row().key(), row.row().addedAt(), row.row().json())
				.update();
		}
	}

}
