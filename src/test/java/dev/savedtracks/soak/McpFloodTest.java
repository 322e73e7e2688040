package dev.savedtracks.soak;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.savedtracks.emulator.SpotifyEmulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the soak test judges the answers of an MCP flood: a tool result, a refusal that
 * says when to retry, anything else counted apart, and a 5xx never clean.
 */
class McpFloodTest {

	/** The refusal as the service words it (README, MCP limits). */
	private static final String REFUSAL = "Too many calls at once: at most 2 of your tool calls run at the same time, "
			+ "and the service is busy. Wait for your other calls to finish, then try again in 2 seconds. "
			+ "(error: too-many-calls, retryAfterSeconds: 2)";

	private final SpotifyEmulator spotify = SpotifyEmulator.start();

	private final McpFlood flood = new McpFlood("http://127.0.0.1:1",
			new Person(this.spotify.user("flooder").generateLibrary(3)), new Tally(), Duration.ofSeconds(90));

	@AfterEach
	void stop() {
		this.spotify.close();
	}

	@Test
	void toolResultIsAnsweredAndRefusalThatSaysWhenToRetryIsRefused() throws InterruptedException {
		boolean answered = this.flood.judge(200, "application/json", result(false, "12 tracks match"));
		boolean refused = this.flood.judge(200, "application/json", result(true, REFUSAL));

		McpFlood.Outcome outcome = this.flood.stop();

		assertThat(answered).isFalse();
		assertThat(refused).isTrue();
		assertThat(outcome.answered()).isEqualTo(1);
		assertThat(outcome.refused()).isEqualTo(1);
		assertThat(outcome.refusedWithoutRetry()).isZero();
		assertThat(outcome.clean()).isTrue();
	}

	@Test
	void refusalThatDoesNotSayWhenToRetryIsNotClean() throws InterruptedException {
		this.flood.judge(200, "application/json", result(false, "ok"));
		this.flood.judge(200, "text/event-stream",
				"event: message\ndata: " + result(true, "Too many calls at once. (error: too-many-calls)") + "\n\n");

		McpFlood.Outcome outcome = this.flood.stop();

		assertThat(outcome.refused()).isEqualTo(1);
		assertThat(outcome.refusedWithoutRetry()).isEqualTo(1);
		assertThat(outcome.clean()).isFalse();
	}

	@Test
	void serverErrorIsNeverCleanAndOtherToolErrorsAreCountedByTheirSlug() throws InterruptedException {
		this.flood.judge(200, "application/json", result(false, "ok"));
		this.flood.judge(200, "application/json",
				result(true, "The library is being synced. (error: sync-in-progress, retryAfterSeconds: 5)"));
		this.flood.judge(503, "application/problem+json",
				"{\"type\":\"urn:problem-type:saved-tracks:busy\",\"status\":503}");

		McpFlood.Outcome outcome = this.flood.stop();

		assertThat(outcome.serverErrors()).isEqualTo(1);
		assertThat(outcome.other()).containsEntry("tool error sync-in-progress", 1L).containsKey("503 busy");
		assertThat(outcome.clean()).isFalse();
	}

	private static String result(boolean error, String text) {
		return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":"
				+ Api.json.writeValueAsString(text) + "}],\"isError\":" + error + "}}";
	}

}
