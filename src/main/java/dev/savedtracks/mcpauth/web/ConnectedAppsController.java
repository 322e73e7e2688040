package dev.savedtracks.mcpauth.web;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.savedtracks.mcpauth.token.ConnectedApps;
import dev.savedtracks.mcpauth.token.ConnectedApps.ConnectedApp;

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

	@Operation(summary = "The apps the caller allowed to read their library through /mcp")
	@GetMapping
	List<ConnectedApp> list(Authentication caller) {
		return this.apps.list(caller.getName());
	}

	@Operation(summary = "Disconnect an app: its consent and all its tokens for the caller end at once")
	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(Authentication caller, @PathVariable String id) {
		return this.apps.revoke(caller.getName(), id) ? ResponseEntity.noContent().build()
				: ResponseEntity.notFound().build();
	}

}
