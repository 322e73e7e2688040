package dev.savedtracks.mcpauth.web;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.savedtracks.system.Problems;

/**
 * {@code /.well-known/*} paths that name nothing this service serves answer 404, never a
 * redirect to the sign-in: clients probe them to learn what a server is, and OpenID
 * Connect is not offered (the authorization server's own metadata is at
 * {@code /.well-known/oauth-authorization-server}).
 */
@Hidden
@RestController
class WellKnownController {

	@GetMapping("/.well-known/**")
	ResponseEntity<ProblemDetail> unknown() {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"This service publishes /.well-known/oauth-authorization-server and "
							+ "/.well-known/oauth-protected-resource/mcp; it is not an OpenID Connect provider."));
	}

}
