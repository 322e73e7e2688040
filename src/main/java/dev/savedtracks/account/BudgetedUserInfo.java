package dev.savedtracks.account;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.user.OAuth2User;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.spotify.SpotifyClient;
import dev.savedtracks.spotify.SpotifyRateLimited;

/**
 * Sign-in's {@code GET /v1/me} (made by Spring Security) is a Web API call like any other: it waits for a permit of
 * the app-wide request budget first, as interactive work (a person is waiting on the sign-in page).
 */
@Configuration(proxyBeanMethods = false)
class BudgetedUserInfo {

	/** The longest a sign-in waits for the budget before it is told to try again. */
	private static final Duration MAX_WAIT = Duration.ofSeconds(20);

	@Bean
	OAuth2UserService<OAuth2UserRequest, OAuth2User> spotifyUserInfo(SpotifyClient spotify) {
		DefaultOAuth2UserService delegate = new DefaultOAuth2UserService();
		return request -> {
			try {
				spotify.awaitPermit(Requester.of("sign-in", Priority.INTERACTIVE), MAX_WAIT);
			}
			catch (SpotifyRateLimited ex) {
				throw new OAuth2AuthenticationException(new OAuth2Error("temporarily_unavailable",
						"Spotify's request budget is used up for now", null));
			}
			return delegate.loadUser(request);
		};
	}

}
