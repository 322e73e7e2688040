package dev.savedtracks.account;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.savedtracks.spotify.Priority;
import dev.savedtracks.spotify.Requester;
import dev.savedtracks.system.Sha256;

/**
 * Sign-ins waiting for a permit of the request budget: each browser is a requester of its
 * own, so it gets its own turn among everyone's requests (a person looping their sign-in
 * does not hold up anyone else's), and waiting is bounded: one sign-in per browser and
 * {@value #MAX_WAITING} in all wait at once; more are told at once to try again.
 */
@Component
class SignInTurns {

	/** Sign-ins that may wait for a permit at once on one replica. */
	static final int MAX_WAITING = 32;

	/** What a sign-in turned away is told to wait. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(10);

	private final ConcurrentMap<String, Boolean> waiting = new ConcurrentHashMap<>();

	private final AtomicInteger total = new AtomicInteger();

	/**
	 * A turn for the browser of the current request, to be closed once its permit came
	 * (or did not).
	 * @throws Crowded when this browser already waits, or {@value #MAX_WAITING} sign-ins
	 * do
	 */
	Turn enter() {
		String browser = browser();
		if (this.waiting.putIfAbsent(browser, Boolean.TRUE) != null) {
			throw new Crowded();
		}
		if (this.total.incrementAndGet() > MAX_WAITING) {
			this.total.decrementAndGet();
			this.waiting.remove(browser);
			throw new Crowded();
		}
		return new Turn(browser);
	}

	/**
	 * The browser signing in: a digest of its session (which holds the sign-in's
	 * authorization request), else of its address; never the session id itself, which
	 * ends up in metrics.
	 */
	private static String browser() {
		String key = "unknown";
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			@Nullable HttpSession session = request.getSession(false);
			key = (session != null) ? "session:" + session.getId() : "address:" + request.getRemoteAddr();
		}
		return HexFormat.of().formatHex(Sha256.digest(key), 0, 12);
	}

	/** One browser's sign-in waiting for its permit. */
	final class Turn implements AutoCloseable {

		private final String browser;

		private Turn(String browser) {
			this.browser = browser;
		}

		/** Whom the permit is for: this browser's sign-in, interactive work. */
		Requester requester() {
			return Requester.of("sign-in:" + this.browser, Priority.INTERACTIVE);
		}

		@Override
		public void close() {
			if (SignInTurns.this.waiting.remove(this.browser) != null) {
				SignInTurns.this.total.decrementAndGet();
			}
		}

	}

	/** Too many sign-ins wait already, or this browser's own does. */
	static final class Crowded extends RuntimeException {

		Crowded() {
			super("too many sign-ins waiting for the request budget", null, false, false);
		}

	}

}
