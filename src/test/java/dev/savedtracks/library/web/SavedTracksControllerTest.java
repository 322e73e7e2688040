package dev.savedtracks.library.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.savedtracks.library.LibrarySettings;
import dev.savedtracks.library.StaleReason;
import dev.savedtracks.library.answer.AnswerFiles;
import dev.savedtracks.library.answer.AnswerFilesSettings;
import dev.savedtracks.library.answer.CsvTracks;
import dev.savedtracks.library.answer.JsonTracks;
import dev.savedtracks.library.answer.NdjsonTracks;
import dev.savedtracks.library.answer.OpenLibrary;
import dev.savedtracks.library.answer.SavedTracksAnswers;
import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.read.LibraryOpener;
import dev.savedtracks.library.read.ReadRequest;
import dev.savedtracks.library.read.ReadRequest.Refresh;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.opaqueToken;

/**
 * {@code GET /api/saved-tracks} as HTTP alone: the library is a mock, the formats and the
 * answer's plumbing are the real beans. The caller is an API key's principal
 * ({@code opaqueToken()}); the slice runs Boot's default security chain, not the
 * application's, whose configuration belongs to {@code system/} and has its own tests end
 * to end.
 */
@WebMvcTest(SavedTracksController.class)
@Import({ SavedTracksAnswers.class, JsonTracks.class, CsvTracks.class, NdjsonTracks.class, AnswerFiles.class })
@EnableConfigurationProperties({ LibrarySettings.class, AnswerFilesSettings.class })
class SavedTracksControllerTest {

	private static final Instant SYNCED = Instant.parse("2026-11-27T10:00:00.250Z");

	private static final String TRACK = "{\"id\":\"a\",\"name\":\"Song, with a comma\",\"artists\":[],\"local\":false}";

	private final Head head = new Head(1, 1, 0, 0, 7, 42, 0, 1, SYNCED, SYNCED, SYNCED, null, 0, null, null);

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private LibraryOpener library;

	@MockitoBean
	private LibraryReader reader;

	@BeforeEach
	void oneTrack() throws Exception {
		willAnswer(invocation -> {
			invocation.<LibraryReader.ChunkSink>getArgument(5).accept(List.of(TRACK));
			return null;
		}).given(this.reader).chunks(any(), any(), anyInt(), anyInt(), anyInt(), any());
		opens(null, null);
	}

	@Test
	void invalidParametersAreAProblemAndNothingIsOpened() {
		MvcTestResult result = get("/api/saved-tracks?limit=0&refresh=maybe", MediaType.APPLICATION_JSON);

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson()
			.extractingPath("$.invalid-params[*].name")
			.asArray()
			.containsExactly("limit", "refresh");
		then(this.library).shouldHaveNoInteractions();
	}

	@Test
	void callersLibraryIsOpenedForTheWindowAskedFor() {
		get("/api/saved-tracks?offset=20&limit=10&refresh=true", MediaType.APPLICATION_JSON);

		then(this.library).should().open("alice", new ReadRequest(new Window(20, 10), Refresh.CHECK, false));
	}

	@Test
	void callerAcceptingStaleSaysSoWithMaxStale() {
		this.mvc.get()
			.uri("/api/saved-tracks")
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.CACHE_CONTROL, "Max-Stale")
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();

		then(this.library).should().open("alice", new ReadRequest(Window.ALL, Refresh.NONE, true));
	}

	@Test
	void freshAnswerSaysHowItMayBeCachedAndNothingAboutStaleness() {
		MvcTestResult result = get("/api/saved-tracks", MediaType.APPLICATION_JSON);

		assertThat(result).hasStatusOk()
			.hasHeader(HttpHeaders.ETAG, opened(null, null).etag("json"))
			.hasHeader(HttpHeaders.LAST_MODIFIED, httpDate(SYNCED))
			.hasHeader(HttpHeaders.CACHE_CONTROL, "no-cache, private")
			.hasHeader(HttpHeaders.VARY, "Accept, Authorization, Cookie")
			.doesNotContainHeader(SavedTracksApi.STALE_HEADER)
			.doesNotContainHeader(SavedTracksApi.THROTTLED_HEADER);
	}

	@Test
	void staleCopySaysWhyWithTheReasonsSlug() {
		opens(StaleReason.SPOTIFY_RATE_LIMITED, null);

		MvcTestResult result = get("/api/saved-tracks", MediaType.APPLICATION_JSON);

		assertThat(result).hasStatusOk().hasHeader(SavedTracksApi.STALE_HEADER, "spotify-rate-limited");
	}

	@Test
	void fullSyncAskedForTooSoonSaysWhenItMayBeAskedAgain() {
		opens(null, Duration.ofSeconds(599).plusMillis(1));

		MvcTestResult result = get("/api/saved-tracks?refresh=full", MediaType.APPLICATION_JSON);

		assertThat(result).hasStatusOk().hasHeader(SavedTracksApi.THROTTLED_HEADER, "full-sync; retry-after=600");
	}

	@Test
	void matchingEtagIsNotModifiedAndNoTrackIsRead() throws Exception {
		String etag = opened(null, null).etag("json");

		MvcTestResult result = this.mvc.get()
			.uri("/api/saved-tracks")
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.IF_NONE_MATCH, etag)
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();

		assertThat(result).hasStatus(HttpStatus.NOT_MODIFIED).hasHeader(HttpHeaders.ETAG, etag);
		assertThat(result).body().isEmpty();
		then(this.reader).should(never()).chunks(any(), any(), anyInt(), anyInt(), anyInt(), any());
	}

	@Test
	void staleNotModifiedAnswerStillSaysItIsStale() {
		opens(StaleReason.SYNC_IN_PROGRESS, null);

		MvcTestResult result = this.mvc.get()
			.uri("/api/saved-tracks")
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.IF_NONE_MATCH, opened(null, null).etag("json"))
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();

		assertThat(result).hasStatus(HttpStatus.NOT_MODIFIED)
			.hasHeader(SavedTracksApi.STALE_HEADER, "sync-in-progress");
	}

	@Test
	void etagOfAnotherFormatOrWindowIsAnswered() {
		String csvEtag = opened(null, null).etag("csv");

		MvcTestResult result = this.mvc.get()
			.uri("/api/saved-tracks")
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.IF_NONE_MATCH, csvEtag)
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();

		assertThat(result).hasStatusOk();
		assertThat(csvEtag).isNotEqualTo(opened(null, null).etag("json"));
	}

	@Test
	void unmodifiedSinceTheLastSyncIsNotModified() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/saved-tracks")
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.IF_MODIFIED_SINCE, httpDate(SYNCED))
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();

		assertThat(result).hasStatus(HttpStatus.NOT_MODIFIED);
	}

	@Test
	void modifiedSinceIsAnswered() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/saved-tracks")
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.IF_MODIFIED_SINCE, httpDate(SYNCED.minusSeconds(1)))
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();

		assertThat(result).hasStatusOk();
	}

	@Test
	void unsupportedFormatIsNotAcceptable() {
		MvcTestResult result = get("/api/saved-tracks", MediaType.APPLICATION_XML);

		assertThat(result).hasStatus(HttpStatus.NOT_ACCEPTABLE);
		then(this.library).shouldHaveNoInteractions();
	}

	@Test
	void jsonIsTheResponseWithTheTracksCopied() {
		MvcTestResult result = get("/api/saved-tracks", MediaType.APPLICATION_JSON);

		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		assertThat(result).bodyText().contains("\"items\":[" + TRACK + "]").startsWith("{\"total\":1,");
	}

	@Test
	void anyFormatAcceptedIsJson() {
		MvcTestResult result = get("/api/saved-tracks", MediaType.ALL);

		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
	}

	@Test
	void csvIsStreamedWithItsHeaderRow() {
		MvcTestResult result = get("/api/saved-tracks", MediaType.parseMediaType("text/csv"));

		assertThat(result).hasStatusOk().hasContentType("text/csv;charset=UTF-8");
		assertThat(result).bodyText()
			.isEqualTo(CsvTracks.HEADER + "\r\na,\"Song, with a comma\"" + ",".repeat(19) + "false\r\n");
		assertThat(result).hasHeader(HttpHeaders.ETAG, opened(null, null).etag("csv"));
	}

	@Test
	void ndjsonIsStreamedOneTrackPerLine() {
		MvcTestResult result = get("/api/saved-tracks", MediaType.parseMediaType("application/x-ndjson"));

		assertThat(result).hasStatusOk().hasContentType("application/x-ndjson");
		assertThat(result).bodyText().isEqualTo(TRACK + "\n");
	}

	private MvcTestResult get(String uri, MediaType accept) {
		return this.mvc.get()
			.uri(uri)
			.accept(accept)
			.with(opaqueToken().attributes(claims -> claims.put("sub", "alice")))
			.exchange();
	}

	private void opens(@Nullable StaleReason stale, @Nullable Duration fullSyncThrottled) {
		given(this.library.open(eq("alice"), any())).willAnswer(invocation -> new OpenLibrary("alice", this.head, stale,
				invocation.<ReadRequest>getArgument(1).window(), throttle(fullSyncThrottled)));
	}

	private OpenLibrary opened(@Nullable StaleReason stale, @Nullable Duration fullSyncThrottled) {
		return new OpenLibrary("alice", this.head, stale, Window.ALL, throttle(fullSyncThrottled));
	}

	private static OpenLibrary.@Nullable Throttle throttle(@Nullable Duration fullSyncThrottled) {
		return (fullSyncThrottled != null) ? new OpenLibrary.Throttle(OpenLibrary.Throttle.FULL_SYNC, fullSyncThrottled)
				: null;
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
	}

}
