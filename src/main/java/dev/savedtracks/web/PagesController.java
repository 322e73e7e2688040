package dev.savedtracks.web;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The pages a person sees: the home page (signed in or not) and the sign-in error page. */
@Controller
class PagesController {

	private static final Map<String, String> SIGN_IN_ERRORS = Map.of("cancelled",
			"Sign-in was cancelled: you did not allow access on Spotify's page. Nothing was stored.", "expired",
			"This sign-in link has expired or was already used. Please start again.", "failed",
			"Spotify did not complete the sign-in. Please try again in a moment.");

	@GetMapping("/")
	String home(@AuthenticationPrincipal @Nullable OAuth2User user, Model model) {
		if (user != null) {
			Object displayName = user.getAttribute("display_name");
			model.addAttribute("displayName", (displayName != null) ? displayName : user.getName());
			model.addAttribute("spotifyId", user.getName());
		}
		return "index";
	}

	@GetMapping("/signin-error")
	String signInError(@RequestParam(defaultValue = "failed") String reason, Model model) {
		model.addAttribute("message", SIGN_IN_ERRORS.getOrDefault(reason, SIGN_IN_ERRORS.get("failed")));
		model.addAttribute("cancelled", "cancelled".equals(reason));
		return "signin-error";
	}

}
