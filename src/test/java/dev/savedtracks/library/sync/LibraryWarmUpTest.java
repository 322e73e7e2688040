package dev.savedtracks.library.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The background warm-up: a library in use is revalidated shortly before its freshness
 * runs out, without anyone asking, so the next read is fresh without waiting on Spotify.
 */
class LibraryWarmUpTest extends EmulatedSpotifyTest {

	@DynamicPropertySource
	static void warmUp(DynamicPropertyRegistry registry) {
		registry.add("library.warm-up", () -> "true");
		registry.add("library.freshness", () -> "6s");
		registry.add("library.warm-up-lead", () -> "4s");
		registry.add("library.warm-up-read-within", () -> "1h");
	}

	@Test
	void aLibraryInUseIsRevalidatedBeforeItsFreshnessRunsOutWithoutAnyoneAsking() {
		EmulatedUser user = newUser(60);
		BrowserSession browser = signedIn(user);
		read(browser.api("/api/saved-tracks"));
		Instant firstCheck = checkedAt(user);
		spotify.counters().reset();

		await().atMost(Duration.ofSeconds(15)).until(() -> checkedAt(user).isAfter(firstCheck));

		assertThat(spotify.counters().tracksRequests(user.id())).as("one request: nothing changed").isEqualTo(1);
		assertThat(Duration.between(firstCheck, checkedAt(user))).as("revalidated before the 6 s freshness ran out")
			.isLessThan(Duration.ofSeconds(6));
		spotify.counters().reset();
		assertThat(read(browser.api("/api/saved-tracks")).get("total").asInt()).isEqualTo(60);
		assertThat(spotify.counters().tracksRequests(user.id())).as("the read found a fresh copy").isZero();
	}

	@Test
	void aLibraryNobodyReadsIsLeftAlone() {
		EmulatedUser idle = newUser(60);
		read(signedIn(idle).api("/api/saved-tracks"));
		this.jdbc.sql("update library set read_at = ? where account_id = ?")
			.params(java.sql.Timestamp.from(Instant.now().minus(Duration.ofHours(2))), idle.id())
			.update();
		// A library in use, checked after the idle one: the round that revalidates it had
		// the idle one due too, and first (the warm-up takes the longest unchecked
		// first).
		EmulatedUser inUse = newUser(60);
		read(signedIn(inUse).api("/api/saved-tracks"));
		Instant idleChecked = checkedAt(idle);
		Instant inUseChecked = checkedAt(inUse);
		assertThat(idleChecked).isBeforeOrEqualTo(inUseChecked);
		spotify.counters().reset();

		await().atMost(Duration.ofSeconds(15)).until(() -> checkedAt(inUse).isAfter(inUseChecked));

		assertThat(checkedAt(idle)).isEqualTo(idleChecked);
		assertThat(spotify.counters().tracksRequests(idle.id())).isZero();
	}

	private Instant checkedAt(EmulatedUser user) {
		return this.jdbc.sql("select checked_at from library where account_id = ?")
			.param(user.id())
			.query(OffsetDateTime.class)
			.single()
			.toInstant();
	}

}
