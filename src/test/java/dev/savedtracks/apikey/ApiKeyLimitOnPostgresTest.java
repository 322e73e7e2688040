package dev.savedtracks.apikey;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.OnPostgres;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-person key limit holds when one browser creates many keys at once, on
 * PostgreSQL.
 */
@OnPostgres
class ApiKeyLimitOnPostgresTest extends EmulatedSpotifyTest {

	@Autowired
	ApiKeySettings settings;

	@Test
	void parallelCreationStopsExactlyAtTheLimit() throws Exception {
		EmulatedUser user = newUser(1);
		BrowserSession browser = signedIn(user);
		int limit = this.settings.maxPerAccount();

		List<Integer> statuses = ApiKeyLimitTest.createInParallel(browser, limit + 10);

		assertThat(statuses).filteredOn(status -> status == 201).hasSize(limit);
		assertThat(statuses).filteredOn(status -> status == 409).hasSize(10);
		assertThat(this.jdbc.sql("select count(*) from api_key where account_id = ?")
			.param(user.id())
			.query(Long.class)
			.single()).isEqualTo(limit);
	}

}
