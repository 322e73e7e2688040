package dev.savedtracks.apikey;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * Lifetime of new API keys when the creator does not choose one (zero: keys never
 * expire), the longest lifetime a creator may choose, and how many keys one person may
 * hold.
 */
@ConfigurationProperties("api-keys")
record ApiKeySettings(@DefaultValue("90d") Duration defaultLifetime, @DefaultValue("730d") Duration maxLifetime,
		@DefaultValue("20") int maxPerAccount) {

	ApiKeySettings {
		if (defaultLifetime.isNegative() || maxLifetime.isNegative() || maxLifetime.isZero()) {
			throw new InvalidConfiguration(
					"API_KEY_DEFAULT_LIFETIME must be zero or positive and " + "API_KEY_MAX_LIFETIME positive",
					"Use durations such as 90d and 730d.");
		}
		if (maxPerAccount < 1) {
			throw new InvalidConfiguration("API_KEY_MAX_PER_ACCOUNT must be at least 1, was " + maxPerAccount,
					"Set API_KEY_MAX_PER_ACCOUNT to a positive number such as 20.");
		}
	}

}
