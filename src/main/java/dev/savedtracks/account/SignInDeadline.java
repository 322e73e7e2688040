package dev.savedtracks.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * When a person must sign in with Spotify again. Spotify's refresh tokens end six months
 * after the person authorised the app (a browser sign-in), and refreshing does not extend
 * them; from {@link #WARN_AHEAD} before that, the page, {@code /api/me}, the API's
 * {@value #HEADER} header and the MCP tools say so. A gauge counts the people due.
 */
@Component
public class SignInDeadline {

	/** How long Spotify's refresh tokens last from the authorisation. */
	public static final Period REFRESH_TOKEN_LIFETIME = Period.ofMonths(6);

	/** How long before the deadline people are told. */
	public static final Duration WARN_AHEAD = Duration.ofDays(14);

	/** The response header that gives API callers the deadline (ISO 8601). */
	public static final String HEADER = "X-Sign-In-Before";

	private final AccountRepository accounts;

	private final Clock clock;

	SignInDeadline(AccountRepository accounts, Clock clock, MeterRegistry meters) {
		this.accounts = accounts;
		this.clock = clock;
		Gauge.builder("accounts.sign_in_due", this, SignInDeadline::due)
			.description("People whose Spotify authorisation ends within 14 days (they must sign in again)")
			.register(meters);
	}

	/** The end of an authorisation given at {@code authorizedAt}. */
	public static Instant deadline(Instant authorizedAt) {
		return authorizedAt.atOffset(ZoneOffset.UTC).plus(REFRESH_TOKEN_LIFETIME).toInstant();
	}

	/** The person's deadline, when known. */
	@Transactional(readOnly = true)
	public Optional<Instant> of(String accountId) {
		return this.accounts.findById(accountId).map(Account::authorizedAt).map(SignInDeadline::deadline);
	}

	/** Whether a deadline is close enough (or past) to tell the person now. */
	public boolean dueSoon(Instant deadline) {
		return !this.clock.instant().isBefore(deadline.minus(WARN_AHEAD));
	}

	/** The person's deadline when it is close enough to tell them. */
	public Optional<Instant> dueSoon(String accountId) {
		return of(accountId).filter(this::dueSoon);
	}

	private double due() {
		Instant cutoff = this.clock.instant()
			.plus(WARN_AHEAD)
			.atOffset(ZoneOffset.UTC)
			.minus(REFRESH_TOKEN_LIFETIME)
			.toInstant();
		return this.accounts.countByAuthorizedAtBeforeAndReauthRequiredFalse(cutoff);
	}

}
