package dev.savedtracks.system;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sessions nobody has signed in to yet cost an anonymous caller nothing but a request,
 * and each is a row in the shared database. So a new session lives
 * {@code SESSION_PRE_SIGN_IN_TIMEOUT} (the repository's default), gets the full
 * {@code SESSION_TIMEOUT} only when its person signs in, and one client address holds at
 * most {@code SESSION_PRE_SIGN_IN_PER_CLIENT} of them on a replica: starting one more
 * deletes its oldest still not signed in to. A flood of anonymous sign-in starts thus
 * leaves a bounded number of rows, each gone within minutes.
 */
@Configuration(proxyBeanMethods = false)
class PreSignInSessions {

	/** After Boot's own customizer, which sets the full timeout. */
	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> preSignInSessionLife(SessionSettings settings) {
		return repository -> repository.setDefaultMaxInactiveInterval(settings.preSignInTimeout());
	}

	/**
	 * What happens to the session when a person signs in in it: a new id (against session
	 * fixation, Spring Security's default), and the full life.
	 */
	@Bean
	SessionAuthenticationStrategy signedInSessions(SessionTimeout timeout) {
		int seconds = (int) Math.min(Integer.MAX_VALUE, timeout.getTimeout().toSeconds());
		return new CompositeSessionAuthenticationStrategy(
				List.of(new ChangeSessionIdAuthenticationStrategy(), (authentication, request, response) -> {
					HttpSession session = request.getSession(false);
					if (session != null) {
						session.setMaxInactiveInterval(seconds);
					}
				}));
	}

	/** Right inside Spring Session's filter, so that it sees every session created. */
	@Bean
	FilterRegistrationBean<PerClient> preSignInSessionsPerClient(SessionSettings settings,
			SessionRepository<? extends Session> sessions) {
		FilterRegistrationBean<PerClient> registration = new FilterRegistrationBean<>(
				new PerClient(settings, sessions));
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER + 1);
		return registration;
	}

	/**
	 * Remembers, per client address, the sessions started without a sign-in, and deletes
	 * the oldest beyond the bound. Kept in memory for as long as such a session lives,
	 * for at most 100,000 addresses.
	 */
	static final class PerClient extends OncePerRequestFilter {

		private final int max;

		private final SessionRepository<? extends Session> sessions;

		private final Cache<String, Deque<String>> started;

		PerClient(SessionSettings settings, SessionRepository<? extends Session> sessions) {
			this.max = settings.preSignInPerClient();
			this.sessions = sessions;
			this.started = Caffeine.newBuilder()
				.expireAfterAccess(settings.preSignInTimeout().plus(Duration.ofMinutes(1)))
				.maximumSize(100_000)
				.build();
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			chain.doFilter(request, response);
			HttpSession session = request.getSession(false);
			if (session != null && isNewWithoutSignIn(session)) {
				started(request.getRemoteAddr(), session.getId());
			}
		}

		private static boolean isNewWithoutSignIn(HttpSession session) {
			try {
				return session.isNew() && !isSignedIn(
						session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY));
			}
			catch (IllegalStateException ex) {
				// Invalidated during the request.
				return false;
			}
		}

		private static boolean isSignedIn(@Nullable Object context) {
			return context instanceof SecurityContext security && security.getAuthentication() != null
					&& security.getAuthentication().isAuthenticated();
		}

		/**
		 * Remembers the session; beyond the bound, forgets the client's oldest entries
		 * that are no longer sessions without a sign-in (signed in since, or gone), and
		 * deletes the oldest that still are. Only the oldest go: a burst of people
		 * signing in at once behind one address (an office, the soak test) must not lose
		 * the sign-ins they are in the middle of.
		 */
		private void started(String client, String sessionId) {
			Deque<String> mine = this.started.get(client, address -> new ArrayDeque<>());
			synchronized (mine) {
				mine.addLast(sessionId);
				while (mine.size() > this.max) {
					String oldest = mine.removeFirst();
					Session old = this.sessions.findById(oldest);
					if (old != null && !isSignedIn(
							old.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY))) {
						this.sessions.deleteById(oldest);
					}
				}
			}
		}

	}

}
