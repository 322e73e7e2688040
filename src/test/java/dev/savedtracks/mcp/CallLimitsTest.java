package dev.savedtracks.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.account.SignInDeadline;
import dev.savedtracks.library.Library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tool calls one person and everyone may have running at once: beyond either bound a call
 * is refused at once with a tool error that says when to retry.
 */
class CallLimitsTest {

	private final McpSettings settings = new McpSettings(List.of(), DataSize.ofKilobytes(64), 2, 3,
			Duration.ofSeconds(2), 1000);

	private final CallLimits limits = new CallLimits(this.settings);

	@Test
	void aPersonGetsTwoTurnsAtOnceAndAnotherTurnOnceOneEnds() {
		Optional<CallLimits.Turn> first = this.limits.enter("ann");
		Optional<CallLimits.Turn> second = this.limits.enter("ann");

		assertThat(first).isPresent();
		assertThat(second).isPresent();
		assertThat(this.limits.enter("ann")).isEmpty();
		assertThat(this.limits.enter("bob")).as("someone else is not held up").isPresent();

		first.get().close();
		first.get().close();
		assertThat(this.limits.enter("ann")).isPresent();
		assertThat(this.limits.enter("ann")).as("closing twice frees one turn only").isEmpty();
	}

	@Test
	void theReplicaBoundHoldsForEveryoneTogether() {
		this.limits.enter("ann");
		this.limits.enter("bob");
		CallLimits.Turn carl = this.limits.enter("carl").orElseThrow();

		assertThat(this.limits.enter("dora")).isEmpty();

		carl.close();
		assertThat(this.limits.enter("dora")).isPresent();
		assertThat(this.limits.enter("ann")).as("a refusal by the replica bound gave back the person's turn").isEmpty();
	}

	@Test
	void aCallBeyondThePersonsShareIsAToolErrorSayingWhenToRetry() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch inside = new CountDownLatch(2);
		LibraryTools libraryTools = new LibraryTools(blockingLibrary(inside, release), this.limits,
				JsonMapper.builder().build(), this.settings, mock(SignInDeadline.class));
		var stats = libraryTools.tools(new JacksonMcpJsonMapper(JsonMapper.builder().build()))
			.stream()
			.filter(tool -> tool.tool().name().equals("library_stats"))
			.findFirst()
			.orElseThrow();
		var context = new Caller("ann", "https://example.test/signin", "https://example.test").context();
		CallToolRequest request = CallToolRequest.builder("library_stats").arguments(Map.of()).build();
		ExecutorService agents = Executors.newFixedThreadPool(2);
		try {
			List<Future<CallToolResult>> running = List.of(
					agents.submit(() -> stats.callHandler().apply(context, request)),
					agents.submit(() -> stats.callHandler().apply(context, request)));
			assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

			CallToolResult third = stats.callHandler().apply(context, request);

			assertThat(third.isError()).isTrue();
			assertThat(((TextContent) third.content().get(0)).text()).contains("Too many calls at once")
				.contains("try again in 2 seconds")
				.contains("too-many-calls");
			release.countDown();
			for (Future<CallToolResult> call : running) {
				assertThat(call.get(10, TimeUnit.SECONDS).isError()).isNotEqualTo(Boolean.TRUE);
			}
			assertThat(stats.callHandler().apply(context, request).isError()).isNotEqualTo(Boolean.TRUE);
		}
		finally {
			release.countDown();
			agents.shutdownNow();
		}
	}

	/** A library whose whole reads wait until released. */
	private static Library blockingLibrary(CountDownLatch inside, CountDownLatch release) {
		return TestLibrary.reading((accountId, visitor) -> {
			inside.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new Library.Copy(0, 0, null, null);
		});
	}

}
