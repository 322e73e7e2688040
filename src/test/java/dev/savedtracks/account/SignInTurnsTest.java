package dev.savedtracks.account;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.savedtracks.spotify.budget.RequestPermits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Sign-ins wait for the request budget each in a turn of their own browser, and only so
 * many at once; one turned away is told so clearly.
 */
class SignInTurnsTest {

	private final SignInTurns turns = new SignInTurns();

	@AfterEach
	void forgetRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void eachBrowserSignsInWithATurnOfItsOwn() {
		browser("alice-session");
		SignInTurns.Turn alice = this.turns.enter();
		browser("bob-session");
		SignInTurns.Turn bob = this.turns.enter();

		assertThat(alice.requester().accountId()).isNotEqualTo(bob.requester().accountId())
			.doesNotContain("alice-session");
		assertThat(bob.requester().accountId()).startsWith("sign-in:").doesNotContain("bob-session");
		alice.close();
		bob.close();
	}

	@Test
	void aBrowserLoopingItsSignInWaitsOnceAndOthersStillGetIn() {
		browser("looping");
		SignInTurns.Turn first = this.turns.enter();

		assertThatExceptionOfType(SignInTurns.Crowded.class).isThrownBy(this.turns::enter);
		browser("someone-else");
		this.turns.enter().close();
		first.close();
		browser("looping");
		this.turns.enter().close();
	}

	@Test
	void atMostSoManySignInsWaitAtOnce() {
		List<SignInTurns.Turn> waiting = new ArrayList<>();
		for (int i = 0; i < SignInTurns.MAX_WAITING; i++) {
			browser("browser-" + i);
			waiting.add(this.turns.enter());
		}

		browser("one-too-many");
		assertThatExceptionOfType(SignInTurns.Crowded.class).isThrownBy(this.turns::enter);
		waiting.remove(0).close();
		this.turns.enter().close();
		waiting.forEach(SignInTurns.Turn::close);
	}

	@Test
	void aSignInTurnedAwayIsA503ProblemWithRetryAfterOrThePageThatSaysSo() throws Exception {
		RequestPermits permits = mock(RequestPermits.class);
		when(permits.pauseRemaining()).thenReturn(Duration.ZERO);
		SignInFailureHandler handler = new SignInFailureHandler(permits, Clock.systemUTC(),
				JsonMapper.builder().build());
		OAuth2AuthenticationException crowded = new OAuth2AuthenticationException(
				new OAuth2Error(SpotifyUserService.SIGN_INS_CROWDED));
		MockHttpServletRequest client = new MockHttpServletRequest("GET", "/login/oauth2/code/spotify");
		client.addHeader("Accept", "application/json");
		MockHttpServletResponse answer = new MockHttpServletResponse();
		MockHttpServletRequest page = new MockHttpServletRequest("GET", "/login/oauth2/code/spotify");
		page.addHeader("Accept", "text/html,application/xhtml+xml");
		MockHttpServletResponse redirect = new MockHttpServletResponse();

		handler.onAuthenticationFailure(client, answer, crowded);
		handler.onAuthenticationFailure(page, redirect, crowded);

		assertThat(answer.getStatus()).isEqualTo(503);
		assertThat(answer.getContentType()).startsWith("application/problem+json");
		assertThat(answer.getHeader("Retry-After")).isEqualTo("10");
		assertThat(answer.getContentAsString()).contains("urn:problem-type:saved-tracks:sign-ins-busy");
		assertThat(redirect.getRedirectedUrl()).isEqualTo("/signin-error?reason=busy");
	}

	private static void browser(String sessionId) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(new MockHttpSession(null, sessionId));
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

}
