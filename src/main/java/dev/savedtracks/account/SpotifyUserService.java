package dev.savedtracks.account;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.savedtracks.spotify.ExtraRequest;
import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.spotify.SpotifySettings;
import dev.savedtracks.spotify.budget.RequestPermits;

/**
 * Who signed in: {@code GET /v1/me} during the sign-in, in place of Spring Security's
 * default user-info call, which turns every refusal into one "invalid user info
 * response". Spotify refuses a person missing from a development-mode app's User
 * Management list with a plain-text 403, and everyone once the app owner's Premium has
 * lapsed; those get error codes of their own, so the sign-in error page can say that
 * retrying will not help and who can fix it. The person is the same as Spring Security's
 * default would make: Spotify's attributes as they are, named by {@code id}, with the
 * {@code OAUTH2_USER} authority and one {@code SCOPE_} authority per granted scope. The
 * call takes a permit of the app-wide request budget first, like every other Web API
 * call.
 */
@Component
class SpotifyUserService implements OAuth2UserService<OAuth2UserRequest, OAuth2User> {

	/** The person is not on the development-mode app's User Management list. */
	static final String USER_NOT_REGISTERED = "spotify_user_not_registered";

	/**
	 * The development-mode app's owner no longer has Spotify Premium: nobody can sign in.
	 */
	static final String OWNER_PREMIUM_REQUIRED = "spotify_owner_premium_required";

	/** Too many sign-ins wait for the request budget already, or this browser's does. */
	static final String SIGN_INS_CROWDED = "sign_ins_crowded";

	/** Any other 403 from {@code /v1/me}. */
	static final String ACCESS_DENIED = "spotify_access_denied";

	/**
	 * Spring Security's code for a user-info call that failed otherwise: other statuses,
	 * timeouts, bad bodies.
	 */
	static final String INVALID_USER_INFO_RESPONSE = "invalid_user_info_response";

	/** Enough of a 403 body to tell its cause; Spotify's are a sentence long. */
	private static final int MAX_REFUSAL_BODY = 4096;

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	/**
	 * The longest a sign-in waits for the app-wide request budget before it is told to
	 * try again.
	 */
	private static final Duration MAX_BUDGET_WAIT = Duration.ofSeconds(20);

	private final RestClient client;

	private final URI userInfoUri;

	private final RequestPermits permits;

	private final MeterRegistry meters;

	private final SignInTurns turns;

	SpotifyUserService(SignInHttp http, SpotifySettings settings, RequestPermits permits, SignInTurns turns,
			MeterRegistry meters) {
		this.meters = meters;
		this.turns = turns;
		this.client = http.webApi();
		this.userInfoUri = settings.userInfoUri();
		this.permits = permits;
	}

	@Override
	public OAuth2User loadUser(OAuth2UserRequest request) throws OAuth2AuthenticationException {
		// A Web API call like any other: it waits for a permit of the app-wide budget
		// first, as interactive work.
		// Each browser waits in a turn of its own, and only so many wait at once.
		try (SignInTurns.Turn turn = this.turns.enter()) {
			this.permits.awaitPermit(turn.requester(), MAX_BUDGET_WAIT);
		}
		catch (SignInTurns.Crowded ex) {
			throw new OAuth2AuthenticationException(
					new OAuth2Error(SIGN_INS_CROWDED, "too many sign-ins waiting for the request budget", null));
		}
		catch (SpotifyFailure ex) {
			throw busy("Spotify's request budget is used up, or Spotify asked the app to wait");
		}
		ExtraRequest.SIGN_IN.count(this.meters);
		Map<String, Object> attributes;
		try {
			attributes = this.client.get()
				.uri(this.userInfoUri)
				.headers(headers -> headers.setBearerAuth(request.getAccessToken().getTokenValue()))
				.accept(MediaType.APPLICATION_JSON)
				.exchangeForRequiredValue((req, response) -> {
					if (response.getStatusCode().isSameCodeAs(HttpStatus.FORBIDDEN)) {
						throw refused(prefix(response.getBody()));
					}
					if (response.getStatusCode().isSameCodeAs(HttpStatus.TOO_MANY_REQUESTS)) {
						this.permits.rateLimitedElsewhere(response.getHeaders(),
								response.getBody().readNBytes(MAX_REFUSAL_BODY));
						throw busy("Spotify answered GET /v1/me with 429");
					}
					if (!response.getStatusCode().is2xxSuccessful()) {
						throw failed("Spotify answered " + response.getStatusCode().value());
					}
					Map<String, Object> body = response.bodyTo(JSON_OBJECT);
					if (body == null) {
						throw failed("empty body");
					}
					return body;
				});
		}
		catch (RestClientException ex) {
			// Timeouts, refused connections, malformed JSON.
			throw failed(ex.getClass().getSimpleName());
		}
		if (!(attributes.get(SignInConfiguration.USER_NAME_ATTRIBUTE) instanceof String id) || id.isBlank()) {
			throw failed("no id");
		}
		return new DefaultOAuth2User(authorities(attributes, request), attributes,
				SignInConfiguration.USER_NAME_ATTRIBUTE);
	}

	private static Collection<GrantedAuthority> authorities(Map<String, Object> attributes, OAuth2UserRequest request) {
		Set<GrantedAuthority> authorities = new LinkedHashSet<>();
		authorities.add(new OAuth2UserAuthority(attributes, SignInConfiguration.USER_NAME_ATTRIBUTE));
		for (String scope : request.getAccessToken().getScopes()) {
			authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope));
		}
		return authorities;
	}

	private static OAuth2AuthenticationException refused(String body) {
		String code = switch (SpotifyAccessDenied.Reason.of(body)) {
			case USER_NOT_REGISTERED -> USER_NOT_REGISTERED;
			case OWNER_PREMIUM_REQUIRED -> OWNER_PREMIUM_REQUIRED;
			case OTHER -> ACCESS_DENIED;
		};
		return new OAuth2AuthenticationException(new OAuth2Error(code, "Spotify refused GET /v1/me (403)", null));
	}

	/**
	 * Spotify is rate limiting the app: trying again in a moment helps, and the sign-in
	 * page says so.
	 */
	private static OAuth2AuthenticationException busy(String what) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE, what, null));
	}

	/** The description says what failed, never what Spotify or the network sent. */
	private static OAuth2AuthenticationException failed(String what) {
		return new OAuth2AuthenticationException(
				new OAuth2Error(INVALID_USER_INFO_RESPONSE, "GET /v1/me failed: " + what, null));
	}

	private static String prefix(InputStream body) throws IOException {
		return new String(body.readNBytes(MAX_REFUSAL_BODY), StandardCharsets.UTF_8);
	}

}
