package dev.savedtracks.spotify;

import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * Spotify answered 403; {@link #reason()} says which of the known causes it gave, in
 * words a person can act on.
 */
public class SpotifyAccessDenied extends SpotifyFailure {

	private final Reason reason;

	public SpotifyAccessDenied(Reason reason, String logMessage) {
		super(HttpStatus.FORBIDDEN, "spotify-access-denied", "Spotify refused access", reason.detail(), logMessage,
				null, null);
		this.reason = reason;
		getBody().setProperty("reason", reason.slug());
	}

	public Reason reason() {
		return this.reason;
	}

	@Override
	public Kind kind() {
		return (this.reason == Reason.OWNER_PREMIUM_REQUIRED) ? Kind.OWNER_PREMIUM_REQUIRED : Kind.ACCESS_DENIED;
	}

	/** Why Spotify answers 403. */
	public enum Reason {

		/**
		 * A development-mode app and a person missing from its User Management list
		 * (plain-text body).
		 */
		USER_NOT_REGISTERED("user-not-registered",
				"Spotify refused access: this app is in development mode and your Spotify account is not on its "
						+ "User Management list. Retrying will not help: the app's owner must add your account in the "
						+ "Spotify developer dashboard (at most 5 people) or get extended quota mode."),

		/**
		 * Development-mode apps need an owner with Spotify Premium; without it Spotify
		 * refuses everyone.
		 */
		OWNER_PREMIUM_REQUIRED("owner-premium-required",
				"Spotify refused access for everyone using this app: its owner's Spotify Premium subscription has "
						+ "lapsed, which development-mode apps require. The app's owner must renew it."),

		/** Anything else: a missing scope, or a refusal Spotify did not explain. */
		OTHER("refused", "Spotify refused to share this library with the service. If the app is in development mode, "
				+ "its owner must add your Spotify account to the app's user list.");

		private final String slug;

		private final String detail;

		Reason(String slug, String detail) {
			this.slug = slug;
			this.detail = detail;
		}

		public String slug() {
			return this.slug;
		}

		public String detail() {
			return this.detail;
		}

		/**
		 * The cause of a 403, told by its body: plain text from the dashboard check, or
		 * Spotify's JSON error.
		 */
		public static Reason of(String body) {
			String text = body.toLowerCase(Locale.ROOT);
			// Spotify's wording varies: "the user may not be registered", "User not
			// registered in the Developer Dashboard", "User not approved for app".
			if (text.contains("not be registered") || text.contains("not registered")
					|| text.contains("not approved")) {
				return USER_NOT_REGISTERED;
			}
			if (text.contains("premium")) {
				return OWNER_PREMIUM_REQUIRED;
			}
			return OTHER;
		}

	}

}
