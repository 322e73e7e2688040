package dev.savedtracks.system;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.apikey.InvalidApiKeyRequest;
import dev.savedtracks.apikey.TooManyApiKeys;
import dev.savedtracks.library.InvalidParameters;
import dev.savedtracks.library.LibraryChangedDuringSync;
import dev.savedtracks.spotify.SpotifyAccessDenied;
import dev.savedtracks.spotify.SpotifyFailure;
import dev.savedtracks.spotify.SpotifyQuotaExceeded;
import dev.savedtracks.spotify.SpotifyRateLimited;

/**
 * Every API error as RFC 9457 {@code application/problem+json}: a stable type, a sentence a person can act on,
 * and never a stack trace or class name. Spring MVC's own exceptions come through the base class.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemAdvice.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidParameters(InvalidParameters ex) {
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameters", "Invalid query parameters",
				"Fix the query parameters listed in invalid-params and try again.");
		problem.setProperty("invalid-params", ex.invalid());
		return ResponseEntity.of(problem).build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidApiKeyRequest(InvalidApiKeyRequest ex) {
		return ResponseEntity.of(Problems.of(HttpStatus.BAD_REQUEST, "invalid-api-key-request",
				"Invalid API key request", "The API key cannot be created: " + ex.getMessage() + ".")).build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyApiKeys(TooManyApiKeys ex) {
		return ResponseEntity.of(Problems.of(HttpStatus.CONFLICT, "too-many-api-keys", "Too many API keys",
				"You hold " + ex.getMessage() + ".")).build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> reauthorizationRequired(ReauthorizationRequired ex) {
		ProblemDetail problem = Problems.of(HttpStatus.UNAUTHORIZED, "reauthorization-required",
				"Sign in with Spotify again",
				"Spotify no longer accepts this service's access to your library (access was revoked or has expired). "
						+ "Sign in again in a browser at " + ReauthorizationRequired.SIGN_IN_PATH + ".");
		problem.setProperty("signInUrl", ReauthorizationRequired.SIGN_IN_PATH);
		return ResponseEntity.of(problem).build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rateLimited(SpotifyRateLimited ex) {
		return withRetryAfter(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "spotify-rate-limited",
				"Spotify asked us to slow down",
				"Spotify is rate-limiting this service and no copy of your library is cached yet. Try again later."),
				ex.retryAfter());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> quotaExceeded(SpotifyQuotaExceeded ex) {
		return ResponseEntity.of(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "spotify-quota-exceeded",
				"Spotify quota exceeded",
				"This service has used up its Spotify request quota; waiting a few seconds will not help.")).build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> accessDenied(SpotifyAccessDenied ex) {
		return ResponseEntity.of(Problems.of(HttpStatus.FORBIDDEN, "spotify-access-denied",
				"Spotify refused access",
				"Spotify refused to share this library with the service. If the app is in development mode, "
						+ "its owner must add your Spotify account to the app's user list."))
			.build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> libraryChanging(LibraryChangedDuringSync ex) {
		return withRetryAfter(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "library-changing",
				"Library is changing", "Your library kept changing while it was being read. Try again in a moment."),
				Duration.ofSeconds(5));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> syncElsewhere(Leases.LeaseUnavailable ex) {
		return withRetryAfter(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "sync-in-progress", "Sync in progress",
				"Your library is being synced by another instance of the service. Try again in a moment."),
				Duration.ofSeconds(5));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> spotifyFailed(SpotifyFailure ex) {
		log.warn("Spotify request failed: " + ex.getMessage());
		return withRetryAfter(Problems.of(HttpStatus.BAD_GATEWAY, "spotify-unavailable", "Spotify is unavailable",
				"Spotify did not answer properly and no copy of your library is cached yet. Try again later."),
				ex.retryAfter());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (DatabaseUnavailableFilter.isDatabaseDown(ex)) {
			log.warn("Database unavailable: " + ex.getClass().getSimpleName());
			return withRetryAfter(Problems.databaseUnavailable(), Duration.ofSeconds(5));
		}
		log.error("Unexpected error", ex);
		return ResponseEntity.of(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
				"Internal error", "Something went wrong on our side.")).build();
	}

	private static ResponseEntity<ProblemDetail> withRetryAfter(ProblemDetail problem, @Nullable Duration retryAfter) {
		ResponseEntity.HeadersBuilder<?> response = ResponseEntity.of(problem);
		if (retryAfter != null) {
			long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		}
		return response.build();
	}

}
