package dev.savedtracks.mcpauth.web;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.savedtracks.mcpauth.ResourceIndicators;
import dev.savedtracks.mcpauth.client.RedirectUris;

/**
 * The consent page, where the authorization endpoint sends a signed-in person the first
 * time an app asks for their library: which app (its name as it gave it, and where it is
 * from, which the app cannot fake), what it may read, and Allow or Deny. The form goes to
 * the authorization endpoint with the browser's CSRF token.
 */
@Controller
class ConsentController {

	static final String PATH = "/oauth2/consent";

	private static final Map<String, String> SCOPES = Map.of(ResourceIndicators.SCOPE,
			"Read your saved tracks (Liked Songs) as cached by this service: titles, artists, albums, "
					+ "when you saved them, and statistics about them. Nothing else of your Spotify account, "
					+ "and nothing can be changed.");

	private final RegisteredClientRepository clients;

	ConsentController(RegisteredClientRepository clients) {
		this.clients = clients;
	}

	@GetMapping(PATH)
	String consent(@AuthenticationPrincipal OAuth2User person,
			@RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId,
			@RequestParam(name = OAuth2ParameterNames.SCOPE, defaultValue = "") String scope,
			@RequestParam(OAuth2ParameterNames.STATE) String state, Model model) {
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
		}
		Set<String> asked = Set.copyOf(Arrays.asList(scope.split(" ")));
		List<String> scopes = asked.contains(ResourceIndicators.SCOPE) ? List.of(ResourceIndicators.SCOPE) : List.of();
		Object displayName = person.getAttribute("display_name");
		model.addAttribute("clientName", client.getClientName());
		model.addAttribute("clientFrom", RedirectUris.whereFrom(client.getClientId(),
				client.getClientId().startsWith("https://"), String.join(",", client.getRedirectUris())));
		model.addAttribute("clientId", client.getClientId());
		model.addAttribute("state", state);
		model.addAttribute("scopes", scopes.stream().map(s -> new Scope(s, SCOPES.get(s))).toList());
		model.addAttribute("displayName", (displayName != null) ? displayName : person.getName());
		return "consent";
	}

	/** A scope and what it means in plain words. */
	record Scope(String name, @Nullable String description) {
	}

}
