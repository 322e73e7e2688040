package dev.savedtracks.mcp;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.savedtracks.system.Problems;

/**
 * The {@code /mcp} servlet: the SDK's stateless Streamable HTTP transport (no session, so
 * any replica answers any request), with what that transport leaves to the application.
 * An unsupported {@code MCP-Protocol-Version} gets 400 (java-sdk #957); the transport's
 * own error bodies, which serialise an exception with its stack trace (java-sdk #577),
 * become problem+json; and JSON-RPC errors carry no exception message from inside the
 * server.
 */
final class McpEndpoint extends HttpServlet implements McpStatelessServerTransport {

	static final String PATH = "/mcp";

	private static final String PROTOCOL_VERSION = "MCP-Protocol-Version";

	/** Far above any real initialize request; a larger body is not one. */
	private static final int INITIALIZE_MAX_BYTES = 64 * 1024;

	private static final Log logger = LogFactory.getLog(McpEndpoint.class);

	private final HttpServletStatelessServerTransport transport;

	private final JsonMapper json;

	McpEndpoint(McpJsonMapper mcpJson, JsonMapper json) {
		this.transport = HttpServletStatelessServerTransport.builder()
			.jsonMapper(mcpJson)
			.messageEndpoint(PATH)
			.contextExtractor(Caller::context)
			.build();
		this.json = json;
	}

	@Override
	public void init(ServletConfig config) throws ServletException {
		super.init(config);
		this.transport.init(config);
	}

	@Override
	public void destroy() {
		this.transport.destroy();
		super.destroy();
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		HttpServletRequest accepted = withSupportedVersion(request, response);
		if (accepted == null) {
			return;
		}
		ProblemResponse answer = new ProblemResponse(response);
		this.transport.service(accepted, answer);
		answer.finish(this.json);
	}

	/**
	 * The request if its {@code MCP-Protocol-Version} is one this server speaks, or
	 * absent (the spec then assumes 2025-03-26); otherwise a 400 is written and null
	 * returned. An initialize request is let through whatever its header says: its body
	 * is where the version is negotiated.
	 */
	private @Nullable HttpServletRequest withSupportedVersion(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		List<String> sent = Collections.list(request.getHeaders(PROTOCOL_VERSION));
		if (sent.isEmpty() || (sent.size() == 1 && protocolVersions().contains(sent.get(0).trim()))) {
			return request;
		}
		byte[] body = request.getInputStream().readNBytes(INITIALIZE_MAX_BYTES + 1);
		if (body.length <= INITIALIZE_MAX_BYTES && isInitialize(body)) {
			return new ReplayedBody(request, body);
		}
		Problems.write(response,
				Problems.of(HttpStatus.BAD_REQUEST, "unsupported-protocol-version", "Unsupported MCP protocol version",
						"The MCP-Protocol-Version header names no version this server " + "speaks. Supported: "
								+ String.join(", ", protocolVersions()) + "."),
				this.json);
		return null;
	}

	private boolean isInitialize(byte[] body) {
		try {
			JsonNode message = this.json.readTree(body);
			return message.isObject() && McpSchema.METHOD_INITIALIZE.equals(message.path("method").asString(""));
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	@Override
	public void setMcpHandler(McpStatelessServerHandler handler) {
		this.transport.setMcpHandler(new WithoutInternalErrors(handler));
	}

	@Override
	public Mono<Void> closeGracefully() {
		return this.transport.closeGracefully();
	}

	@Override
	public List<String> protocolVersions() {
		return this.transport.protocolVersions();
	}

	/**
	 * JSON-RPC errors as the SDK makes them, except that an unexpected exception's
	 * message (which may name classes or hold internal details) is logged here and not
	 * sent; a request the SDK could not even read is invalid params, not an internal
	 * error.
	 */
	private record WithoutInternalErrors(McpStatelessServerHandler handler) implements McpStatelessServerHandler {

		@Override
		public Mono<JSONRPCResponse> handleRequest(McpTransportContext context, McpSchema.JSONRPCRequest request) {
			return Mono.defer(() -> this.handler.handleRequest(context, request))
				.onErrorResume(ex -> Mono.just(JSONRPCResponse.error(request.id(), failure(ex))))
				.map(WithoutInternalErrors::withoutInternals);
		}

		@Override
		public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
			return this.handler.handleNotification(context, notification);
		}

		private static JSONRPCError failure(Throwable ex) {
			if (ex instanceof IllegalArgumentException || ex instanceof JacksonException) {
				return new JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params");
			}
			logger.error("MCP request failed", ex);
			return new JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error");
		}

		private static JSONRPCResponse withoutInternals(JSONRPCResponse response) {
			JSONRPCError error = response.error();
			if (error == null || error.code() == null || error.code() != McpSchema.ErrorCodes.INTERNAL_ERROR
					|| "Internal error".equals(error.message())) {
				return response;
			}
			logger.warn("MCP request failed: " + error.message());
			return JSONRPCResponse.error(response.id(),
					new JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error"));
		}

	}

	/**
	 * Lets the transport's successful answers through untouched, and replaces any error
	 * it answers (a status of 400 or more, set or sent) with a problem+json body of its
	 * status, discarding the body the SDK wrote.
	 */
	private static final class ProblemResponse extends HttpServletResponseWrapper {

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

		private static ProblemDetail problem(int status) {
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

	/**
	 * A request whose body was read to look at it, handed on with the same body to read
	 * again.
	 */
	private static final class ReplayedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		ReplayedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}
