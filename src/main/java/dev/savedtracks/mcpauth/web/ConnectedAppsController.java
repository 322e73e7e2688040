package dev.savedtracks.mcpauth.web;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.savedtracks.mcpauth.token.ConnectedApps;
import dev.savedtracks.mcpauth.token.ConnectedApps.ConnectedApp;
import dev.savedtracks.system.Problems;

/**
 * {@code /api/connected-apps}: the AI apps a signed-in person connected to the MCP
 * endpoint, and disconnecting one. Browser sessions only, like API keys.
 */
@RestController
@Tag(name = "Connected apps")
@RequestMapping("/api/connected-apps")
class ConnectedAppsController {

	private final ConnectedApps apps;

	ConnectedAppsController(ConnectedApps apps) {
		this.apps = apps;
	}

	@Operation(operationId = "listConnectedApps", summary = "List the AI apps connected to the caller's library",
			description = "The apps the caller allowed to read their library through /mcp, with where their answers "
					+ "go and when they were allowed. Browser session only.")
	@ApiResponse(responseCode = "200", description = "The connected apps")
	@ApiResponse(responseCode = "403", description = "Called with an API key or an app's token",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@GetMapping
	List<ConnectedApp> list(Authentication caller) {
		return this.apps.list(caller.getName());
	}

	@Operation(operationId = "disconnectApp", summary = "Disconnect an AI app",
			description = "Its consent and all its tokens for the caller end at once; the app must ask the person "
					+ "again. Browser session with its CSRF token only.")
	@ApiResponse(responseCode = "204", description = "Disconnected", content = @Content)
	@ApiResponse(responseCode = "403", description = "Missing CSRF token, or called with an API key or an app's token",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such app connected by the caller",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@DeleteMapping("/{id}")
	ResponseEntity<?> revoke(Authentication caller, @PathVariable String id) {
		if (this.apps.revoke(caller.getName(), id)) {
			return ResponseEntity.noContent().build();
		}
		return ResponseEntity.of(Problems.of(HttpStatus.NOT_FOUND, "connected-app-not-found", "No such connected app",
				"You have connected no app with this id."))
			.build();
	}

}
