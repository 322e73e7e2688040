package dev.savedtracks.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * JSON-RPC errors as the SDK makes them, except that an unexpected exception's message
 * (which may name classes or hold internal details) is logged here and not sent; a
 * request the SDK could not even read is invalid params, not an internal error.
 */
record WithoutInternalErrors(McpStatelessServerHandler handler) implements McpStatelessServerHandler {

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

	private static final Log logger = LogFactory.getLog(WithoutInternalErrors.class);

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
