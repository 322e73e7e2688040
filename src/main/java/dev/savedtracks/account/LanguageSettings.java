package dev.savedtracks.account;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * {@code SPOTIFY_DEFAULT_LANGUAGE}: the {@code Accept-Language} sent to Spotify for
 * people whose browser sent none; empty sends none, and Spotify then names non-Latin
 * artists and tracks in Latin letters or English.
 */
@ConfigurationProperties("accounts")
record LanguageSettings(@DefaultValue("") String defaultLanguage) {

	LanguageSettings {
		if (!defaultLanguage.isBlank() && Languages.normalised(defaultLanguage) == null) {
			throw new InvalidConfiguration(
					"SPOTIFY_DEFAULT_LANGUAGE must be an Accept-Language value such as ja or de-DE,de;q=0.9, was "
							+ defaultLanguage,
					"Set SPOTIFY_DEFAULT_LANGUAGE to a language tag, or leave it empty.");
		}
	}

}
