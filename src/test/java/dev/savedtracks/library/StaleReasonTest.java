package dev.savedtracks.library;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stale reason has one name: its slug, which clients see (and which never changes), in
 * capitals as the constant the library row stores.
 */
class StaleReasonTest {

	@Test
	void theSlugsAreThoseClientsSee() {
		assertThat(Arrays.stream(StaleReason.values()).map(StaleReason::slug)).containsExactly("spotify-unavailable",
				"spotify-rate-limited", "spotify-quota-exceeded", "spotify-access-denied",
				"spotify-owner-premium-required", "reauthorization-required", "library-changing",
				"full-sync-budget-used", "sync-in-progress", "sync-failed");
	}

	@Test
	void eachReasonIsNamedAsItsSlug() {
		for (StaleReason reason : StaleReason.values()) {
			assertThat(reason.name()).isEqualTo(reason.slug().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
	}

}
