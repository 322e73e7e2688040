package dev.savedtracks.mcp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.savedtracks.system.Problems;

/**
 * Lets the transport's successful answers through untouched, and replaces any error it
 * answers (a status of 400 or more, set or sent) with a problem+json body of its status,
 * discarding the body the SDK wrote.
 */
final class ProblemResponse extends HttpServletResponseWrapper {

	private int errorStatus;

	ProblemResponse(HttpServletResponse response) {
		super(response);
	}

	@Override
	public void setStatus(int status) {
		if (status >= 400) {
			this.errorStatus = status;
		}
		else {
			super.setStatus(status);
		}
	}

	@Override
	public void sendError(int status) {
		this.errorStatus = status;
	}

	@Override
	public void sendError(int status, String message) {
		this.errorStatus = status;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		return (this.errorStatus != 0) ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		return (this.errorStatus != 0) ? new DiscardingStream() : super.getOutputStream();
	}

	void finish(JsonMapper json) throws IOException {
		if (this.errorStatus == 0) {
			return;
		}
		HttpServletResponse response = (HttpServletResponse) getResponse();
		if (this.errorStatus == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
			response.setHeader(HttpHeaders.ALLOW, "POST");
		}
		Problems.write(response, problem(this.errorStatus), json);
	}

	static ProblemDetail problem(int status) {
		return switch (status) {
			case 400 -> Problems.of(HttpStatus.BAD_REQUEST, "invalid-mcp-request", "Invalid MCP request",
					"POST one JSON-RPC request or notification, with Content-Type: application/json and "
							+ "Accept: application/json, text/event-stream.");
			case 405 -> Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
					"This MCP endpoint is stateless: send every JSON-RPC message with POST. It opens no event "
							+ "stream (GET) and keeps no session to end (DELETE).");
			case 413 -> Problems.of(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request too large",
					"The JSON-RPC message is larger than this endpoint accepts.");
			case 415 -> Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
					"Unsupported media type", "Send JSON-RPC messages with Content-Type: application/json.");
			case 503 -> Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "Shutting down",
					"This instance of the service is shutting down. Try again.");
			default -> (status >= 500)
					? Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
							"Something went wrong on our side.")
					: Problems.of(HttpStatus.valueOf(status), "invalid-mcp-request", "Invalid MCP request",
							"The MCP endpoint refused the request.");
		};
	}

	/** Where the SDK's error body goes: nowhere. */
	private static final class DiscardingStream extends ServletOutputStream {

		private final OutputStream sink = OutputStream.nullOutputStream();

		@Override
		public void write(int b) throws IOException {
			this.sink.write(b);
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
		}

	}

}
