package dev.savedtracks.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pages a person sees: the home page (signed in or not) and the sign-in error page.
 */
@Controller
class PagesController {

	/**
	 * What went wrong, by the failure handler's {@code reason}. Spotify's refusals say
	 * that retrying will not help and who can fix it: Spotify gives a development-mode
	 * app's owner no other way to tell people.
	 */
	private static final Map<String, String> SIGN_IN_ERRORS = Map.of("cancelled",
			"Sign-in was cancelled: you did not allow access on Spotify's page. Nothing was stored.", "expired",
			"This sign-in link has expired or was already used. Please start again.", "not-registered",
			"Spotify refused the sign-in: this app is in development mode, and your Spotify account is not on its "
					+ "User Management list. Trying again will not help. The app's owner must add your account in "
					+ "the Spotify developer dashboard (a development-mode app allows at most 5 people) or get "
					+ "extended quota mode for the app.",
			"owner-premium",
			"Spotify refused the sign-in for everyone: this app is in development mode, which needs its owner to "
					+ "have Spotify Premium, and the owner's subscription has lapsed. Trying again will not help "
					+ "until the app's owner renews Premium or gets extended quota mode for the app.",
			"refused",
			"Spotify refused to let this app read your account. If the app is in development mode, its owner must "
					+ "add your Spotify account to the app's User Management list in the Spotify developer dashboard.",
			"busy",
			"Many people are signing in right now, and Spotify allows this app only so many requests at "
					+ "once. Please try again in a few seconds.",
			"failed", "Spotify did not complete the sign-in. Please try again in a moment.");

	@GetMapping("/")
	String home(@AuthenticationPrincipal @Nullable OAuth2User user, Model model) {
		if (user != null) {
			Object displayName = user.getAttribute("display_name");
			model.addAttribute("displayName", (displayName != null) ? displayName : user.getName());
			model.addAttribute("spotifyId", user.getName());
		}
		return "index";
	}

	/** Pauses shorter than this are "a moment". */
	private static final Duration A_MOMENT = Duration.ofMinutes(1);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC' 'on' d MMMM yyyy",
			Locale.ENGLISH);

	private final Clock clock;

	PagesController(Clock clock) {
		this.clock = clock;
	}

	@GetMapping("/signin-error")
	String signInError(@RequestParam(defaultValue = "failed") String reason,
			@RequestParam(required = false) @Nullable Long until, Model model) {
		String message = "busy".equals(reason) ? comeBack(until)
				: SIGN_IN_ERRORS.getOrDefault(reason, SIGN_IN_ERRORS.get("failed"));
		model.addAttribute("message", message);
		model.addAttribute("cancelled", "cancelled".equals(reason));
		return "signin-error";
	}

	/**
	 * Spotify asked the app to pause every request until {@code until} (epoch seconds):
	 * when that is more than a moment away, the page says when to come back. The value
	 * comes from the query, so only a time within a day from now is believed.
	 */
	private String comeBack(@Nullable Long until) {
		Instant now = this.clock.instant();
		if (until == null || until < now.plus(A_MOMENT).getEpochSecond()
				|| until > now.plus(Duration.ofDays(1)).getEpochSecond()) {
			return SIGN_IN_ERRORS.get("failed");
		}
		Instant end = Instant.ofEpochSecond(until);
		long minutes = Math.max(1, Duration.between(now, end).plusSeconds(59).toMinutes());
		return "Spotify asked this app to pause all its requests, so the sign-in could not complete. Please come back "
				+ "after " + TIME.format(end.atZone(ZoneOffset.UTC)) + " (in about " + minutes + " minute"
				+ ((minutes == 1) ? "" : "s") + ") and sign in again.";
	}

}
