package dev.savedtracks.apikey;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-person key limit holds when one browser creates many keys at once (H2). */
class ApiKeyLimitTest extends EmulatedSpotifyTest {

	@Autowired
	ApiKeySettings settings;

	@Test
	void parallelCreationStopsExactlyAtTheLimit() throws Exception {
		EmulatedUser user = newUser(1);
		BrowserSession browser = signedIn(user);
		int limit = this.settings.maxPerAccount();

		List<Integer> statuses = createInParallel(browser, limit + 10);

		assertThat(statuses).filteredOn(status -> status == 201).hasSize(limit);
		assertThat(statuses).filteredOn(status -> status == 409).hasSize(10);
		assertThat(keysHeld(user)).isEqualTo(limit);
	}

	/**
	 * Every request is sent at the same moment from threads of their own; the answers'
	 * statuses, in no order.
	 */
	static List<Integer> createInParallel(BrowserSession browser, int requests) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(requests);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, requests)
				.mapToObj(i -> CompletableFuture.supplyAsync(() -> {
					await(start);
					return browser.write("POST", "/api/keys", "{\"name\":\"parallel " + i + "\"}");
				}, threads))
				.toList();
			start.countDown();
			return answers.stream().map(CompletableFuture::join).map(answer -> {
				assertThat(answer.statusCode()).as(answer.body()).isIn(201, 409);
				return answer.statusCode();
			}).toList();
		}
		finally {
			threads.shutdownNow();
			threads.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	private long keysHeld(EmulatedUser user) {
		return this.jdbc.sql("select count(*) from api_key where account_id = ?")
			.param(user.id())
			.query(Long.class)
			.single();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
