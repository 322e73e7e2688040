package dev.savedtracks.mcp;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.savedtracks.system.Problems;

/**
 * The {@code /mcp} servlet: the SDK's stateless Streamable HTTP transport (no session, so
 * any replica answers any request), with what that transport leaves to the application.
 * An unsupported {@code MCP-Protocol-Version} gets 400 (java-sdk #957); the transport's
 * own error bodies, which serialise an exception with its stack trace (java-sdk #577),
 * become problem+json ({@link ProblemResponse}); a body larger than
 * {@code MCP_MAX_REQUEST_SIZE} gets 413 before the transport reads it; and JSON-RPC
 * errors carry no exception message from inside the server
 * ({@link WithoutInternalErrors}).
 */
final class McpEndpoint extends HttpServlet implements McpStatelessServerTransport {

	static final String PATH = "/mcp";

	private static final String PROTOCOL_VERSION = "MCP-Protocol-Version";

	private final HttpServletStatelessServerTransport transport;

	private final JsonMapper json;

	/** The largest JSON-RPC message accepted ({@code MCP_MAX_REQUEST_SIZE}). */
	private final int maxRequestBytes;

	McpEndpoint(McpJsonMapper mcpJson, JsonMapper json, McpSettings settings) {
		this.transport = HttpServletStatelessServerTransport.builder()
			.jsonMapper(mcpJson)
			.messageEndpoint(PATH)
			.contextExtractor(Caller::context)
			.build();
		this.json = json;
		this.maxRequestBytes = (int) Math.min(Integer.MAX_VALUE - 1, settings.maxRequestSize().toBytes());
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
		HttpServletRequest bounded = withBoundedBody(request, response);
		if (bounded == null) {
			return;
		}
		HttpServletRequest accepted = withSupportedVersion(bounded, response);
		if (accepted == null) {
			return;
		}
		ProblemResponse answer = new ProblemResponse(response);
		this.transport.service(accepted, answer);
		answer.finish(this.json);
	}

	/**
	 * The request with its body read, if the body is no larger than
	 * {@code MCP_MAX_REQUEST_SIZE}; otherwise a 413 is written, without reading more than
	 * that, and null returned. The transport would read any body whole into memory.
	 */
	private @Nullable HttpServletRequest withBoundedBody(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (!"POST".equalsIgnoreCase(request.getMethod())) {
			return request;
		}
		byte[] body = (request.getContentLengthLong() > this.maxRequestBytes) ? null
				: request.getInputStream().readNBytes(this.maxRequestBytes + 1);
		if (body == null || body.length > this.maxRequestBytes) {
			// The rest of the body is not read: the connection is closed after the
			// answer.
			response.setHeader(HttpHeaders.CONNECTION, "close");
			Problems.write(response, ProblemResponse.problem(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE),
					this.json);
			return null;
		}
		return new ReplayedBody(request, body);
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
		if (request instanceof ReplayedBody read && isInitialize(read.body())) {
			return request;
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

}
