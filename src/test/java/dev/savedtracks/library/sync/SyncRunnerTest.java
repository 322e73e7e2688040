package dev.savedtracks.library.sync;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.coordination.Leases;
import dev.savedtracks.coordination.Leases.Lease;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.library.store.Head;
import dev.savedtracks.library.store.LibraryReader;
import dev.savedtracks.library.store.LibraryWriter;
import dev.savedtracks.library.web.SavedTracksApi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which sync answers a request: the one it starts, the one running on this replica, or
 * one another replica ran meanwhile.
 */
class SyncRunnerTest extends EmulatedSpotifyTest {

	@Autowired
	private SyncRunner syncs;

	@Autowired
	private Leases leases;

	@Autowired
	private LibraryReader heads;

	@Autowired
	private LibraryWriter writer;

	@Test
	void anotherReplicasSyncThatWasRunningWhenTheRequestCameAnswersIt() throws Exception {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		this.jdbc.sql("update library set checked_at = ? where account_id = ?")
			.params(Timestamp.from(Instant.now().minus(Duration.ofHours(1))), user.id())
			.update();
		spotify.counters().reset();
		// Another replica's sync holds the library and asked Spotify for its first page
		// before the request below came.
		Lease otherReplica = this.leases.tryAcquire("library-sync:" + user.id(), Duration.ofSeconds(30)).orElseThrow();
		Instant otherAsked = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Thread.sleep(20);

		CompletableFuture<HttpResponse<String>> waiting = CompletableFuture
			.supplyAsync(() -> browser.api("/api/saved-tracks"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.syncs.isRunning(user.id()));
		Thread.sleep(100);
		Head head = this.heads.head(user.id()).orElseThrow();
		this.writer.confirm(user.id(), head, otherAsked, otherReplica);
		otherReplica.close();
		HttpResponse<String> answer = waiting.get();

		assertThat(read(answer).get("total").asInt()).isEqualTo(60);
		assertThat(answer.headers().firstValue(SavedTracksApi.CHECKED_AT_HEADER))
			.hasValue(otherAsked.truncatedTo(ChronoUnit.SECONDS).toString());
		assertThat(answer.headers().firstValue("X-Library-Stale")).isEmpty();
		assertThat(spotify.counters().tracksRequests(user.id())).as("answered by the other replica's sync").isZero();
	}

}
