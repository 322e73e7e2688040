package dev.savedtracks.system;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as RFC 9457 {@code application/problem+json}, and never a stack trace
 * or class name. Features throw {@link ProblemException}s, which carry their own answer;
 * Spring MVC's own exceptions come through the base class; what is left is the database
 * being unreachable (503), the service being too busy to take a download (503), and the
 * unexpected (500).
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemAdvice.class);

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> busy(TaskRejectedException ex) {
		log.warn("Too busy to start a download: " + ex.getMessage());
		return withRetryAfter(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too busy",
				"The service is writing as many downloads as it can right now. Try again in a few seconds."));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (DatabaseFailures.isDatabaseDown(ex)) {
			log.warn("Database unavailable: " + ex.getClass().getSimpleName());
			return withRetryAfter(Problems.databaseUnavailable());
		}
		log.error("Unexpected error", ex);
		return ResponseEntity.of(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"Something went wrong on our side."))
			.build();
	}

	/**
	 * Problems of the service's own or of Spotify are logged, without their stack, as
	 * what they say happened.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		if (statusCode.is5xxServerError() || ex instanceof ProblemException) {
			log.warn(statusCode.value() + " " + ex.getMessage());
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	private static ResponseEntity<ProblemDetail> withRetryAfter(ProblemDetail problem) {
		return ResponseEntity.of(problem)
			.header(HttpHeaders.RETRY_AFTER, ProblemException.retryAfterSeconds(RETRY_AFTER))
			.build();
	}

}
