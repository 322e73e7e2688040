package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;

import static dev.savedtracks.library.LibraryFixtures.SYNCED;
import static dev.savedtracks.library.LibraryFixtures.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Large answers kept on disk are served again only for exactly the version, window and
 * format they were written from, only when they were complete, and never outlive a
 * person's data or the replica.
 */
class AnswerFilesTest {

	private static final int ITEMS = 2_000;

	@TempDir
	Path parent;

	private final Map<String, Head> current = new HashMap<>();

	private final NdjsonTracks ndjson = new NdjsonTracks();

	private final CsvTracks csv = new CsvTracks(tools.jackson.databind.json.JsonMapper.builder().build());

	private AnswerFiles files;

	@AfterEach
	void shutDown() {
		if (this.files != null) {
			this.files.destroy();
		}
	}

	@Test
	void aCompleteAnswerIsServedAgainFromItsFileForTheSameVersionWindowAndFormat() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		OpenLibrary alice = whole("alice", head(ITEMS, 7, SYNCED));

		assertThat(written(files, alice, "v7 tracks")).isEqualTo("v7 tracks");

		assertThat(read(files, alice)).contains("v7 tracks");
		assertThat(files.open(alice, this.csv)).isEmpty();
		assertThat(files.open(whole("alice", head(ITEMS, 8, SYNCED)), this.ndjson)).isEmpty();
		assertThat(files.open(whole("alice", head(ITEMS, 7, SYNCED.plusMillis(1))), this.ndjson)).isEmpty();
		assertThat(files.open(LibraryFixtures.open("alice", head(ITEMS, 7, SYNCED), 1, ITEMS), this.ndjson)).isEmpty();
		assertThat(files.open(whole("bob", head(ITEMS, 7, SYNCED)), this.ndjson)).isEmpty();
	}

	@Test
	void anAnswerCutShortLeavesNoFile() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		OpenLibrary alice = whole("alice", head(ITEMS, 7, SYNCED));

		assertThatIOException()
			.isThrownBy(() -> files.writeThrough(alice, this.ndjson, new ByteArrayOutputStream(), out -> {
				out.write("half".getBytes(StandardCharsets.UTF_8));
				throw new IOException("the copy was replaced mid-way");
			}));

		assertThat(files.open(alice, this.ndjson)).isEmpty();
		assertThat(answerFiles()).isEmpty();
	}

	@Test
	void aClientThatGoesAwayLeavesNoFile() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		OpenLibrary alice = whole("alice", head(ITEMS, 7, SYNCED));
		OutputStream gone = new OutputStream() {

			@Override
			public void write(int b) throws IOException {
				throw new IOException("Broken pipe");
			}

		};

		assertThatIOException()
			.isThrownBy(() -> files.writeThrough(alice, this.ndjson, gone, out -> out.write(new byte[100])));

		assertThat(files.open(alice, this.ndjson)).isEmpty();
		assertThat(answerFiles()).isEmpty();
	}

	@Test
	void aNewerVersionReplacesTheOlderFilesOfThatPersonOnly() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		written(files, whole("alice", head(ITEMS, 7, SYNCED)), "alice v7");
		written(files, whole("bob", head(ITEMS, 7, SYNCED)), "bob v7");

		written(files, whole("alice", head(ITEMS, 8, SYNCED.plusSeconds(60))), "alice v8");

		assertThat(files.open(whole("alice", head(ITEMS, 7, SYNCED)), this.ndjson)).isEmpty();
		assertThat(read(files, whole("alice", head(ITEMS, 8, SYNCED.plusSeconds(60))))).contains("alice v8");
		assertThat(read(files, whole("bob", head(ITEMS, 7, SYNCED)))).contains("bob v7");
		assertThat(answerFiles()).hasSize(2);
	}

	@Test
	void deletingAPersonsDataDeletesTheirFilesAtOnceAndAnAnswerInFlightKeepsNothing() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		written(files, whole("bob", head(ITEMS, 7, SYNCED)), "bob");
		OpenLibrary alice = whole("alice", head(ITEMS, 7, SYNCED));
		written(files, alice, "alice");

		files.writeThrough(whole("alice", head(ITEMS, 8, SYNCED.plusSeconds(1))), this.ndjson,
				new ByteArrayOutputStream(), out -> {
					out.write("alice v8".getBytes(StandardCharsets.UTF_8));
					files.forget(new AccountDirectory.AccountDeleted("alice"));
				});

		assertThat(files.open(alice, this.ndjson)).isEmpty();
		assertThat(files.open(whole("alice", head(ITEMS, 8, SYNCED.plusSeconds(1))), this.ndjson)).isEmpty();
		assertThat(answerFiles()).hasSize(1);
		assertThat(read(files, whole("bob", head(ITEMS, 7, SYNCED)))).contains("bob");
	}

	@Test
	void theSweepDropsFilesOfLibrariesDeletedOrChangedThroughAnotherReplica() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		Head bobs = head(ITEMS, 7, SYNCED);
		written(files, whole("alice", head(ITEMS, 7, SYNCED)), "alice");
		written(files, whole("bob", bobs), "bob");
		written(files, whole("carol", head(ITEMS, 3, SYNCED)), "carol");
		this.current.put("bob", bobs);
		this.current.put("carol", head(ITEMS, 4, SYNCED.plusSeconds(5)));

		files.sweep();

		assertThat(read(files, whole("bob", bobs))).contains("bob");
		assertThat(answerFiles()).hasSize(1);
	}

	@Test
	void filesBeyondTheSizeAreDeletedFromDisk() throws IOException {
		AnswerFiles files = files(DataSize.ofBytes(2_500));
		List<OpenLibrary> libraries = Stream.of("alice", "bob", "carol")
			.map(person -> whole(person, head(ITEMS, 7, SYNCED)))
			.toList();
		for (OpenLibrary library : libraries) {
			written(files, library, "x".repeat(1_000));
		}

		long servable = libraries.stream().filter(library -> files.open(library, this.ndjson).isPresent()).count();
		assertThat(servable).isEqualTo(2);
		assertThat(files.bytes()).isLessThanOrEqualTo(2_500);
		assertThat(answerFiles()).hasSize(2);
	}

	@Test
	void answersBeingWrittenCountAgainstTheSizeAndACopyFindingNoRoomIsGivenUp() throws IOException {
		AnswerFiles files = files(DataSize.ofKilobytes(100));
		OpenLibrary alice = whole("alice", head(ITEMS, 7, SYNCED));
		String large = "x".repeat(60 * 1024);

		assertThat(written(files, alice, large)).as("the client gets the whole answer").isEqualTo(large);

		assertThat(files.open(alice, this.ndjson)).as("more than half of the size while being written").isEmpty();
		assertThat(answerFiles()).isEmpty();
	}

	@Test
	void onlyWholeLibrariesAreKeptUnderOneKeyWhateverTheLimitCoveringThem() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		Head head = head(ITEMS, 7, SYNCED);
		written(files, LibraryFixtures.open("alice", head, 0, ITEMS), "alice");
		written(files, LibraryFixtures.open("alice", head, 0, ITEMS + 1), "alice");
		written(files, LibraryFixtures.open("alice", head, 0, ITEMS - 1), "most of alice");
		written(files, LibraryFixtures.open("alice", head, 1, ITEMS), "alice but one");

		assertThat(read(files, LibraryFixtures.open("alice", head, 0, 1_000_000))).contains("alice");
		assertThat(files.open(LibraryFixtures.open("alice", head, 0, ITEMS - 1), this.ndjson)).isEmpty();
		assertThat(answerFiles()).as("varying limit or offset cannot add files").hasSize(1);
	}

	@Test
	void smallWindowsAreNeverKept() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		OpenLibrary fifty = LibraryFixtures.open("alice", head(ITEMS, 7, SYNCED), 0, 50);

		written(files, fifty, "fifty");

		assertThat(files.open(fifty, this.ndjson)).isEmpty();
		assertThat(answerFiles()).isEmpty();
	}

	@Test
	void sizeZeroTurnsThemOffAndCreatesNoDirectory() throws IOException {
		AnswerFiles off = files(DataSize.ofBytes(0));
		OpenLibrary alice = whole("alice", head(ITEMS, 7, SYNCED));

		assertThat(written(off, alice, "alice")).isEqualTo("alice");

		assertThat(off.open(alice, this.ndjson)).isEmpty();
		try (Stream<Path> children = Files.list(this.parent)) {
			assertThat(children).isEmpty();
		}
	}

	@Test
	void theDirectoryIsTheReplicasOwnReadableByItsUserOnlyAndRemovedAtShutdown() throws IOException {
		AnswerFiles files = files(DataSize.ofMegabytes(10));
		written(files, whole("alice", head(ITEMS, 7, SYNCED)), "alice");
		Path directory = directory();

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");

		files.destroy();
		this.files = null;

		assertThat(directory).doesNotExist();
	}

	@Test
	void filesLeftByAReplicaThatDiedWithoutAShutdownAreRemovedAtTheNextStartUp() throws IOException {
		Path unlocked = Files.createDirectory(this.parent.resolve("saved-tracks-answers-111"));
		Files.writeString(unlocked.resolve("answer-1"), "alice's tracks");
		Files.createFile(unlocked.resolve(".lock"));
		Path fromBeforeLocks = Files.createDirectory(this.parent.resolve("saved-tracks-answers-222"));
		Files.writeString(fromBeforeLocks.resolve("answer-7"), "bob's tracks");
		Path unrelated = Files.createDirectory(this.parent.resolve("something-else"));

		files(DataSize.ofMegabytes(10));

		assertThat(unlocked).as("its lock was dropped when its process died").doesNotExist();
		assertThat(fromBeforeLocks).doesNotExist();
		assertThat(unrelated).exists();
	}

	@Test
	void theDirectoryOfALiveReplicaIsLeftAlone() throws IOException {
		AnswerFiles live = files(DataSize.ofMegabytes(10));
		written(live, whole("alice", head(ITEMS, 7, SYNCED)), "alice");
		Path liveDirectory = directory();

		AnswerFiles other = new AnswerFiles(new AnswerFilesSettings(DataSize.ofMegabytes(10), this.parent, 1_000),
				mock(LibraryReader.class));
		try {
			assertThat(liveDirectory).exists();
			assertThat(read(live, whole("alice", head(ITEMS, 7, SYNCED)))).contains("alice");
		}
		finally {
			other.destroy();
		}
	}

	private AnswerFiles files(DataSize size) throws IOException {
		LibraryReader heads = mock(LibraryReader.class);
		given(heads.head(anyString()))
			.willAnswer(invocation -> Optional.ofNullable(this.current.get(invocation.<String>getArgument(0))));
		this.files = new AnswerFiles(new AnswerFilesSettings(size, this.parent, 1_000), heads);
		return this.files;
	}

	private static OpenLibrary whole(String accountId, Head head) {
		return LibraryFixtures.open(accountId, head, 0, head.total());
	}

	/**
	 * Streams {@code body} as the answer of {@code library}; returns what the client got.
	 */
	private String written(AnswerFiles files, OpenLibrary library, String body) throws IOException {
		ByteArrayOutputStream client = new ByteArrayOutputStream();
		files.writeThrough(library, this.ndjson, client, out -> out.write(body.getBytes(StandardCharsets.UTF_8)));
		return client.toString(StandardCharsets.UTF_8);
	}

	private Optional<String> read(AnswerFiles files, OpenLibrary library) throws IOException {
		Optional<AnswerFiles.Opened> opened = files.open(library, this.ndjson);
		if (opened.isEmpty()) {
			return Optional.empty();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		opened.get().copyTo(out);
		assertThat((long) out.size()).isEqualTo(opened.get().bytes());
		return Optional.of(out.toString(StandardCharsets.UTF_8));
	}

	private Path directory() throws IOException {
		try (Stream<Path> children = Files.list(this.parent)) {
			return children.filter(child -> child.getFileName().toString().startsWith("saved-tracks-answers-"))
				.findFirst()
				.orElseThrow();
		}
	}

	private List<Path> answerFiles() throws IOException {
		try (Stream<Path> children = Files.list(directory())) {
			return children.filter(child -> child.getFileName().toString().startsWith("answer-")).toList();
		}
	}

}
