package dev.savedtracks.library.answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.LibraryFixtures;
import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.system.ProblemException;

import static dev.savedtracks.library.LibraryFixtures.SYNCED;
import static dev.savedtracks.library.LibraryFixtures.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

/**
 * JSON answers held in memory: written whole while the answer memory holds them, streamed
 * (with the same bytes) when it does not, and kept encoded for exactly the library
 * version and window they were read from.
 */
class SavedTracksAnswersTest {

	private static final String TRACK = "{\"id\":\"a\",\"name\":\"A\",\"artists\":[],\"local\":false}";

	private final JsonMapper json = JsonMapper.builder().build();

	private final JsonTracks format = new JsonTracks(this.json);

	private final LibraryReader reader = mock(LibraryReader.class);

	private final SavedTracksAnswers answers = answers(LibraryFixtures.settings(DataSize.ofMegabytes(1)));

	@BeforeEach
	void everyWindowIsOneChunkOfTheSameTrack() throws Exception {
		willAnswer(invocation -> {
			int items = invocation.getArgument(3);
			invocation.<LibraryReader.ChunkSink>getArgument(5).accept(Collections.nCopies(items, TRACK));
			return null;
		}).given(this.reader).chunks(anyString(), any(), anyInt(), anyInt(), anyInt(), any());
	}

	@Test
	void aJsonWindowIsWrittenWholeAndReadAgainFromMemory() throws Exception {
		MockHttpServletResponse first = new MockHttpServletResponse();
		MockHttpServletResponse second = new MockHttpServletResponse();

		assertThat(answer(this.answers, first50("alice", head(7, SYNCED)), first)).isNull();
		assertThat(answer(this.answers, first50("alice", head(7, SYNCED)), second)).isNull();

		assertThat(first.getContentAsString()).contains("\"items\":[" + TRACK);
		assertThat(first.getContentLength()).isEqualTo(first.getContentAsByteArray().length);
		assertThat(second.getContentAsByteArray()).isEqualTo(first.getContentAsByteArray());
		then(this.reader).should(times(1)).chunks(anyString(), any(), anyInt(), anyInt(), anyInt(), any());
	}

	@Test
	void anyChangeOfVersionEpochSyncTimeWindowOrPersonMisses() throws IOException {
		answer(this.answers, first50("alice", head(7, SYNCED)), new MockHttpServletResponse());

		assertThat(this.answers.find(first50("alice", head(7, SYNCED)))).isNotNull();
		assertThat(this.answers.find(first50("alice", head(8, SYNCED)))).isNull();
		// Deleted and synced again: the version starts over, the sync time and epoch do
		// not.
		assertThat(this.answers.find(first50("alice", head(7, SYNCED.plusMillis(1))))).isNull();
		assertThat(this.answers.find(first50("alice", otherEpoch(head(7, SYNCED))))).isNull();
		assertThat(this.answers.find(LibraryFixtures.open("alice", head(7, SYNCED), 50, 50))).isNull();
		assertThat(this.answers.find(LibraryFixtures.open("alice", head(7, SYNCED), 0, 51))).isNull();
		assertThat(this.answers.find(first50("bob", head(7, SYNCED)))).isNull();
	}

	@Test
	void deletingAPersonDropsTheirAnswersOnly() throws IOException {
		answer(this.answers, first50("alice", head(7, SYNCED)), new MockHttpServletResponse());
		answer(this.answers, first50("bob", head(7, SYNCED)), new MockHttpServletResponse());

		this.answers.forget(new AccountDirectory.AccountDeleted("alice"));

		assertThat(this.answers.find(first50("alice", head(7, SYNCED)))).isNull();
		assertThat(this.answers.find(first50("bob", head(7, SYNCED)))).isNotNull();
	}

	@Test
	void sizeZeroTurnsTheCacheOff() throws IOException {
		SavedTracksAnswers off = answers(LibraryFixtures.settings(DataSize.ofBytes(0)));

		answer(off, first50("alice", head(7, SYNCED)), new MockHttpServletResponse());

		assertThat(off.find(first50("alice", head(7, SYNCED)))).isNull();
	}

	@Test
	void aJsonWindowTheAnswerMemoryCannotHoldIsStreamedWithTheSameBody() throws IOException {
		SavedTracksAnswers tight = answers(LibraryFixtures.settings(DataSize.ofMegabytes(1), DataSize.ofKilobytes(1)));
		MockHttpServletResponse inMemory = new MockHttpServletResponse();
		answer(this.answers, first50("alice", head(7, SYNCED)), inMemory);

		ResponseEntity<StreamingResponseBody> streamed = answer(tight, first50("alice", head(7, SYNCED)),
				new MockHttpServletResponse());

		assertThat(streamed).isNotNull();
		assertThat(streamed.getHeaders().getContentLength()).as("no length known up front").isEqualTo(-1);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		streamed.getBody().writeTo(body);
		assertThat(body.toByteArray()).isEqualTo(inMemory.getContentAsByteArray());
	}

	@Test
	void aJsonWindowTheAnswerMemoryCannotHoldIsNeverRefusedAsTooManyDownloads() throws IOException {
		SavedTracksAnswers tight = answers(
				LibraryFixtures.settings(DataSize.ofMegabytes(1), DataSize.ofKilobytes(1), 8, 1));

		List<ResponseEntity<StreamingResponseBody>> streamed = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			streamed.add(answer(tight, first50("alice", head(7, SYNCED)), new MockHttpServletResponse()));
		}

		assertThat(streamed).as("four reads of one person at once, with a share of one download")
			.allSatisfy(answer -> assertThat(answer).isNotNull());
	}

	@Test
	void aStreamedAnswerIsRefusedBeforeItStartsWhenEveryExportThreadIsTakenAndAdmittedOnceOneEnds() throws IOException {
		SavedTracksAnswers tight = answers(
				LibraryFixtures.settings(DataSize.ofMegabytes(1), DataSize.ofKilobytes(1), 2, 2));
		ResponseEntity<StreamingResponseBody> first = answer(tight, first50("alice", head(7, SYNCED)),
				new MockHttpServletResponse());
		answer(tight, first50("bob", head(7, SYNCED)), new MockHttpServletResponse());

		assertThatExceptionOfType(ProblemException.class)
			.isThrownBy(() -> answer(tight, first50("carol", head(7, SYNCED)), new MockHttpServletResponse()))
			.satisfies(refused -> {
				assertThat(refused.getStatusCode().value()).isEqualTo(503);
				assertThat(refused.slug()).isEqualTo("busy");
				assertThat(refused.getHeaders().getFirst("Retry-After")).isNotBlank();
			});
		first.getBody().writeTo(new ByteArrayOutputStream());
		assertThat(answer(tight, first50("carol", head(7, SYNCED)), new MockHttpServletResponse()))
			.as("the thread of an answer that ended is free again")
			.isNotNull();
	}

	private @Nullable ResponseEntity<StreamingResponseBody> answer(SavedTracksAnswers answers, OpenLibrary library,
			MockHttpServletResponse response) throws IOException {
		return answers.answer(library, this.format, new MockHttpServletRequest(), response);
	}

	private SavedTracksAnswers answers(LibrarySettings settings) {
		AnswerFiles noFiles;
		try {
			noFiles = new AnswerFiles(new AnswerFilesSettings(DataSize.ofBytes(0), Path.of("."), 1_000), this.reader);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		Exports exports = new Exports(settings, new ThreadPoolTaskExecutor(), noFiles);
		return new SavedTracksAnswers(this.format, this.reader, exports, settings);
	}

	private static OpenLibrary first50(String accountId, Head head) {
		return LibraryFixtures.open(accountId, head, 0, 50);
	}

	private static Head otherEpoch(Head head) {
		return new Head(head.total(), head.spotifyTotal(), 0, 0, head.version(), head.epoch() + 1, 0, head.topSeq(),
				head.syncedAt(), head.checkedAt(), head.fullSyncedAt(), null, 0, null, null);
	}

}
