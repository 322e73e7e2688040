package dev.savedtracks.me;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.account.AccountDirectory.Profile;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.account.SignInDeadline;
import dev.savedtracks.library.Library;
import dev.savedtracks.library.Library.Status;
import dev.savedtracks.library.Library.SyncState;

/**
 * {@code /api/me}: who the caller is, how their cached library stands, and deleting
 * everything about them.
 */
@RestController
@Tag(name = "Me")
@RequestMapping("/api/me")
class MeController {

	private final AccountDirectory accounts;

	private final Library libraries;

	private final SignInDeadline deadlines;

	MeController(AccountDirectory accounts, Library libraries, SignInDeadline deadlines) {
		this.accounts = accounts;
		this.libraries = libraries;
		this.deadlines = deadlines;
	}

	@Operation(operationId = "getMe", summary = "Who the caller is and how their library stands",
			description = "The caller's Spotify id and display name, the cached library's size as served and as "
					+ "Spotify counts it, what it leaves out, and how the last sync went.")
	@ApiResponse(responseCode = "200", description = "The caller")
	@ApiResponse(responseCode = "401",
			description = "No valid credential, or Spotify needs the person to sign in again "
					+ "(reauthorization-required, with signInUrl)",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@GetMapping
	Me me(Authentication caller) {
		String id = caller.getName();
		Profile profile = this.accounts.find(id).orElseThrow(() -> new ReauthorizationRequired(id));
		Status status = this.libraries.status(id).orElse(null);
		Instant signInBefore = profile.signInBefore();
		boolean dueSoon = signInBefore != null && this.deadlines.dueSoon(signInBefore);
		if (status == null) {
			return new Me(profile.spotifyId(), profile.displayName(), null, null, null, null,
					SyncState.NEVER_SYNCED.name(), null, profile.reauthorizationRequired(), signInBefore, dueSoon,
					profile.language());
		}
		return new Me(profile.spotifyId(), profile.displayName(), status.total(), status.spotifyTotal(),
				new Omitted(status.unlisted(), status.removed(), status.duplicates()), status.syncedAt(),
				status.syncState().name(), (status.staleReason() != null) ? status.staleReason().slug() : null,
				profile.reauthorizationRequired(), signInBefore, dueSoon, profile.language());
	}

	/**
	 * Changes the language Spotify is asked to name artists and tracks in; the library is
	 * read whole again at its next sync.
	 */
	@Operation(operationId = "changeLanguage", summary = "Change the language names come in",
			description = "Sets the Accept-Language sent to Spotify for the caller (e.g. ja, or de-DE,de;q=0.9). "
					+ "Names already stored are in the former language, so the whole library is read again at the "
					+ "next sync. Signed-in browser session with its CSRF token only.")
	@SecurityRequirement(name = "browserSession")
	@ApiResponse(responseCode = "200", description = "The language stored, in canonical form")
	@ApiResponse(responseCode = "400", description = "Not a language list",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Called with an API key, or without the CSRF token",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@PutMapping("/language")
	Language changeLanguage(Authentication caller, @RequestBody Language language) {
		try {
			return new Language(this.accounts.changeLanguage(caller.getName(), language.language()));
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"language must be a language list such as ja " + "or de-DE,de;q=0.9");
		}
	}

	/** A person's languages, as an Accept-Language value. */
	record Language(@Schema(description = "An Accept-Language value, e.g. ja or de-DE,de;q=0.9") String language) {
	}

	/**
	 * Removes the caller's tokens, cached library and API keys, and ends all their
	 * sessions.
	 */
	@Operation(operationId = "deleteMe", summary = "Delete everything the service keeps about the caller",
			description = "Deletes the caller's Spotify tokens, cached library and API keys, and signs them out "
					+ "everywhere. Signed-in browser session with its CSRF token only: an API key gets 403.")
	@SecurityRequirement(name = "browserSession")
	@ApiResponse(responseCode = "204", description = "Deleted; the caller's API keys answer 401 from now on")
	@ApiResponse(responseCode = "403", description = "Called with an API key, or without the CSRF token",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@DeleteMapping
	ResponseEntity<Void> delete(Authentication caller, HttpServletRequest request, HttpServletResponse response) {
		this.accounts.delete(caller.getName());
		new SecurityContextLogoutHandler().logout(request, response, caller);
		return ResponseEntity.noContent().build();
	}

	/**
	 * The caller's profile as the API returns it: the library's size as served and as
	 * Spotify counts it, what it leaves out, and how the last sync went
	 * ({@code staleReason}: why the served copy could not be confirmed).
	 */
	record Me(String spotifyId, @Nullable String displayName, @Nullable Integer librarySize,
			@Nullable Integer spotifyTotal, @Nullable Omitted omitted, @Nullable Instant lastSyncedAt, String syncState,
			@Nullable String staleReason, boolean reauthorizationRequired,
			@Schema(description = "When the person's authorisation at Spotify ends (six months after their last sign-in): "
					+ "they must sign in again before then") @Nullable Instant signInBefore,
			@Schema(description = "Whether signInBefore is 14 days away or less") boolean signInDueSoon,
			@Schema(description = "The Accept-Language Spotify is asked to name things in (null: none)") @Nullable String language) {
	}

	/**
	 * Tracks Spotify counts that the library does not serve: unlisted (counted, never
	 * listed), removed (null) and duplicates.
	 */
	record Omitted(int unlisted, int removed, int duplicates) {
	}

}
