package dev.savedtracks.apikey;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.savedtracks.apikey.ApiKeys.ApiKeyCreated;
import dev.savedtracks.apikey.ApiKeys.ApiKeyView;
import dev.savedtracks.system.Problems;

/**
 * {@code /api/keys}: a signed-in person manages the API keys of their other services.
 * Only a browser session may do this (cookie + CSRF token): an API key cannot mint or
 * revoke keys.
 */
@RestController
@Tag(name = "API keys")
@SecurityRequirement(name = "browserSession")
@RequestMapping("/api/keys")
class ApiKeysController {

	private final ApiKeys keys;

	ApiKeysController(ApiKeys keys) {
		this.keys = keys;
	}

	@Operation(operationId = "createApiKey", summary = "Create an API key",
			description = "Browser session with its CSRF token only. The key itself is in this answer and "
					+ "nowhere else: the service keeps only its hash.")
	@ApiResponse(responseCode = "201", description = "Created",
			headers = @Header(name = "Location", description = "The new key's path, for revoking it",
					schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "400", description = "Invalid name or expiresInDays",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Missing CSRF token, or called with an API key",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "409", description = "Too many keys",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@PostMapping
	ResponseEntity<ApiKeyCreated> create(@RequestBody CreateApiKey request, Authentication caller) {
		ApiKeyCreated created = this.keys.create(caller.getName(), (request.name() != null) ? request.name() : "",
				request.expiresInDays());
		return ResponseEntity.created(URI.create("/api/keys/" + created.id())).body(created);
	}

	@Operation(operationId = "listApiKeys", summary = "List the caller's API keys",
			description = "Newest first, with their last use and a hint of each key, never the key itself. Browser "
					+ "session only.")
	@ApiResponse(responseCode = "200", description = "The keys")
	@ApiResponse(responseCode = "403",
			description = "Called with an API key: keys read libraries, they do not " + "manage keys",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@GetMapping
	List<ApiKeyView> list(Authentication caller) {
		return this.keys.list(caller.getName());
	}

	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
			description = "The key answers 401 from then on. Browser session with its CSRF token only.")
	@ApiResponse(responseCode = "204", description = "Revoked", content = @Content)
	@ApiResponse(responseCode = "403", description = "Missing CSRF token, or called with an API key",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such key of the caller",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@DeleteMapping("/{id}")
	ResponseEntity<?> revoke(@PathVariable String id, Authentication caller) {
		if (this.keys.revoke(caller.getName(), id)) {
			return ResponseEntity.noContent().build();
		}
		ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, "api-key-not-found", "No such API key",
				"You have no API key with this id.");
		return ResponseEntity.of(problem).build();
	}

	/** The body of {@code POST /api/keys}. */
	record CreateApiKey(
			@Schema(description = "What the key is for, 1-100 characters",
					example = "home server") @Nullable String name,
			@Schema(description = "Lifetime in days; default API_KEY_DEFAULT_LIFETIME") @Nullable Integer expiresInDays) {
	}

}
