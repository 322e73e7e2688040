package dev.savedtracks.library.web;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.savedtracks.system.ProblemException;

/** The request's query parameters are not acceptable; nothing was asked of Spotify. */
public class InvalidParameters extends ProblemException {

	InvalidParameters(List<Invalid> invalid) {
		super(HttpStatus.BAD_REQUEST, "invalid-parameters", "Invalid query parameters",
				"Fix the query parameters listed in invalid-params and try again.", "invalid query parameters", null,
				null);
		getBody().setProperty("invalid-params", List.copyOf(invalid));
	}

	/** One rejected parameter and why, in RFC 9457's "invalid-params" style. */
	public record Invalid(String name, String reason) {
	}

}
