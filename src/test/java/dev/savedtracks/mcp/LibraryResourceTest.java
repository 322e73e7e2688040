package dev.savedtracks.mcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.library.Library;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV resource never holds a large library in the heap: beyond
 * {@code MCP_RESOURCE_MAX_TRACKS} it answers with a download link, which the download
 * endpoint streams within the download budgets.
 */
class LibraryResourceTest {

	private static final ReadResourceRequest READ = ReadResourceRequest.builder(LibraryResource.URI).build();

	private final McpSettings settings = new McpSettings(List.of(), DataSize.ofKilobytes(64), 2, 16,
			Duration.ofSeconds(2), 1000);

	@Test
	void tenParallelReadsOfLargeLibrariesReadNoTrackAndLeaveOthersServed() throws Exception {
		AtomicInteger csvReads = new AtomicInteger();
		LibraryResource resource = new LibraryResource(libraries(csvReads), new CallLimits(this.settings), 1000);
		ExecutorService agents = Executors.newFixedThreadPool(10);
		try {
			List<Future<ReadResourceResult>> reads = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				Caller caller = caller("big-" + i);
				reads.add(agents.submit(() -> resource.read(caller.context(), READ)));
			}
			ReadResourceResult small = resource.read(caller("small").context(), READ);

			for (Future<ReadResourceResult> read : reads) {
				TextResourceContents answer = (TextResourceContents) read.get(10, TimeUnit.SECONDS).contents().get(0);
				assertThat(answer.mimeType()).isEqualTo("text/plain");
				assertThat(answer.text()).contains("holds 100000 tracks")
					.contains("https://tracks.example/downloads/token-")
					.contains("get_saved_tracks");
			}
			assertThat(csvReads).as("no large library was read").hasValue(1);
			TextResourceContents csv = (TextResourceContents) small.contents().get(0);
			assertThat(csv.mimeType()).isEqualTo("text/csv");
			assertThat(csv.text()).startsWith("id,name");
		}
		finally {
			agents.shutdownNow();
		}
	}

	@Test
	void aLibraryNeverSyncedThatOutgrowsTheBoundWhileReadIsAnsweredWithALink() {
		LibraryResource resource = new LibraryResource(libraries(new AtomicInteger()), new CallLimits(this.settings),
				10);

		ReadResourceResult result = resource.read(caller("unsynced").context(), READ);

		TextResourceContents answer = (TextResourceContents) result.contents().get(0);
		assertThat(answer.mimeType()).isEqualTo("text/plain");
		assertThat(answer.text()).contains("too large to read here (more than 10 tracks)").contains("/downloads/");
	}

	private static Caller caller(String id) {
		return new Caller(id, "https://tracks.example/oauth2/authorization/spotify", "https://tracks.example");
	}

	/**
	 * People with libraries of 100,000 tracks ({@code big-*}), a small one, and one never
	 * synced that writes 100,000 rows when read; CSV reads counted in {@code csvReads}.
	 */
	private static Library libraries(AtomicInteger csvReads) {
		return TestLibrary.notReadWhole().csv((accountId, out) -> {
			csvReads.incrementAndGet();
			out.write("id,name\r\n".getBytes(StandardCharsets.UTF_8));
			int rows = accountId.equals("small") ? 3 : 100_000;
			for (int i = 0; i < rows; i++) {
				out.write(("track" + i + ",Song " + i + "\r\n").repeat(20).getBytes(StandardCharsets.UTF_8));
			}
			return new Library.Copy(rows, rows, Instant.now(), null);
		}).status(accountId -> {
			if (accountId.equals("unsynced")) {
				return Optional.empty();
			}
			int total = accountId.equals("small") ? 3 : 100_000;
			return Optional.of(new Library.Status(total, total, 0, 0, 0, Instant.now(), Instant.now(),
					Library.SyncState.COMPLETE, null));
		})
			.downloadLinks((accountId, format) -> new Library.DownloadLink("/downloads/token-" + accountId, format,
					Instant.now().plusSeconds(900)));
	}

}
