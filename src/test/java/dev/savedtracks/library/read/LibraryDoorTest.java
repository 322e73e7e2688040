package dev.savedtracks.library.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.Track;
import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.sync.SyncProgress;
import dev.savedtracks.library.sync.SyncRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class LibraryDoorTest {

	private final LibraryOpener opener = mock(LibraryOpener.class);

	private final LibraryReader reader = mock(LibraryReader.class);

	private final Library door = new LibraryDoor(this.opener, this.reader, mock(SyncRunner.class),
			mock(SyncProgress.class), mock(CsvTracks.class), JsonMapper.builder().build(), mock(DownloadLinks.class),
			new ParsedCopies(new ParsedCopies.Settings(1000)));

	@Test
	void secondWholeReadOfTheSameVersionReadsNoRowsFromTheStore() throws Exception {
		opens(LibraryFixtures.head(2, 7, LibraryFixtures.SYNCED));
		List<Track> first = new ArrayList<>();
		List<Track> second = new ArrayList<>();

		this.door.each("alice", first::add);
		this.door.each("alice", second::add);

		verify(this.reader, times(1)).chunks(eq("alice"), any(), anyInt(), anyInt(), anyInt(), any());
		assertThat(second).isEqualTo(first).extracting(Track::id).containsExactly("a", "b");
	}

	@Test
	void wholeReadAfterTheCopyChangedReadsTheStoreAgain() throws Exception {
		opens(LibraryFixtures.head(2, 7, LibraryFixtures.SYNCED));
		this.door.each("alice", track -> {
		});
		opens(LibraryFixtures.head(2, 8, LibraryFixtures.SYNCED));

		Library.Copy copy = this.door.each("alice", track -> {
		});

		verify(this.reader, times(2)).chunks(eq("alice"), any(), anyInt(), anyInt(), anyInt(), any());
		assertThat(copy.version()).contains(".8.");
	}

	@Test
	void whatCallersDeriveFromTheTracksIsComputedOncePerVersionOfTheCopy() throws Exception {
		AtomicInteger derivations = new AtomicInteger();
		Library.Derived<String> upperCaseName = track -> {
			derivations.incrementAndGet();
			return track.name().toUpperCase(Locale.ROOT);
		};
		List<String> names = new ArrayList<>();
		opens(LibraryFixtures.head(2, 7, LibraryFixtures.SYNCED));

		this.door.each("alice", upperCaseName, (track, name) -> names.add(name));
		this.door.each("alice", upperCaseName, (track, name) -> names.add(name));

		assertThat(derivations).hasValue(2);
		assertThat(names).containsExactly("TRACK A", "TRACK B", "TRACK A", "TRACK B");

		opens(LibraryFixtures.head(2, 8, LibraryFixtures.SYNCED));
		this.door.each("alice", upperCaseName, (track, name) -> names.add(name));

		assertThat(derivations).as("a changed copy derives anew").hasValue(4);
	}

	private void opens(Head head) throws Exception {
		given(this.opener.open(eq("alice"), any()))
			.willReturn(LibraryFixtures.open("alice", head, 0, Window.ALL.limit()));
		willAnswer(invocation -> {
			LibraryReader.ChunkSink sink = invocation.getArgument(5);
			sink.accept(List.of(row("a"), row("b")));
			return null;
		}).given(this.reader).chunks(anyString(), any(), anyInt(), anyInt(), anyInt(), any());
	}

	private static String row(String id) {
		return "{\"id\":\"" + id + "\",\"name\":\"Track " + id + "\",\"artists\":[],\"local\":false}";
	}

}
