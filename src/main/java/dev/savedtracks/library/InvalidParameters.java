package dev.savedtracks.library;

import java.util.List;

/** The request's query parameters are not acceptable; nothing was asked of Spotify. */
public class InvalidParameters extends RuntimeException {

	private final List<Invalid> invalid;

	InvalidParameters(List<Invalid> invalid) {
		super("invalid query parameters");
		this.invalid = List.copyOf(invalid);
	}

	public List<Invalid> invalid() {
		return this.invalid;
	}

	/** One rejected parameter and why, in RFC 9457's "invalid-params" style. */
	public record Invalid(String name, String reason) {
	}

}
