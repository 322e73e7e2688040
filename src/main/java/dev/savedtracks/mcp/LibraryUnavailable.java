package dev.savedtracks.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.system.ProblemException;

/**
 * Why a person's library could not be read (nothing cached and Spotify failing, or a
 * sign-in needed), in the words and stable slugs of the HTTP API's problems: a tool error
 * a model can act on and pass on to the person, never an exception's text.
 */
record LibraryUnavailable(String error, String message, @Nullable String signInUrl, @Nullable Long retryAfterSeconds) {

	/**
	 * A JSON-RPC error code of the implementation-defined range, for resources (which
	 * have no tool errors).
	 */
	static final int LIBRARY_UNAVAILABLE = -32000;

	private static final Log logger = LogFactory.getLog(LibraryUnavailable.class);

	static LibraryUnavailable of(RuntimeException failure, Caller caller) {
		if (failure instanceof ReauthorizationRequired) {
			return new LibraryUnavailable("reauthorization-required",
					"Spotify no longer accepts this service's access to your library (access was revoked or has "
							+ "expired). Sign in again in a browser at " + caller.signInUrl() + ", then ask again.",
					caller.signInUrl(), null);
		}
		if (failure instanceof ProblemException problem) {
			// The same slug and sentence as the HTTP API's problem for this failure.
			String retryAfter = problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
			return new LibraryUnavailable(problem.slug(), String.valueOf(problem.getBody().getDetail()), null,
					(retryAfter != null) ? Long.valueOf(retryAfter) : null);
		}
		logger.error("Reading a library for an MCP tool failed", failure);
		return new LibraryUnavailable("internal-error",
				"Something went wrong on our side while reading your library. Try again later.", null, null);
	}

	/**
	 * The tool's answer: an error result in words, with the slug. No structured content:
	 * clients check it against the tool's output schema, which describes answers, not
	 * errors (the TypeScript SDK fails the call when it does not match, even for an
	 * error, and the model would never see the sentence).
	 */
	CallToolResult toolResult() {
		return CallToolResult.builder()
			.isError(true)
			.addTextContent(this.message + " (error: " + this.error + ")")
			.build();
	}

	/** The answer of a resource read, which can only fail as a JSON-RPC error. */
	McpError protocolError() {
		return McpError.builder(LIBRARY_UNAVAILABLE).message(this.message).data(details()).build();
	}

	private Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("error", this.error);
		details.put("message", this.message);
		if (this.signInUrl != null) {
			details.put("signInUrl", this.signInUrl);
		}
		if (this.retryAfterSeconds != null) {
			details.put("retryAfterSeconds", this.retryAfterSeconds);
		}
		return details;
	}

}
