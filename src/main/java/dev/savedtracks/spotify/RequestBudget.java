package dev.savedtracks.spotify;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.convert.DurationStyle;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * How many Spotify Web API requests the whole app (every replica together) may make in a
 * rolling window, as {@code SPOTIFY_REQUEST_BUDGET} gives it: {@code 150/30s}, or
 * {@code unlimited}.
 *
 * @param requests requests per window; 0 for unlimited
 */
public record RequestBudget(int requests, Duration window) {

	/**
	 * No budget: every request goes out at once (tests, benchmarks, an app whose limit is
	 * known to be far away).
	 */
	public static final RequestBudget UNLIMITED = new RequestBudget(0, Duration.ZERO);

	private static final Pattern FORMAT = Pattern.compile("\\s*([0-9]{1,7})\\s*/\\s*([0-9]+\\s*[a-z]*)\\s*");

	public RequestBudget {
		if (requests != 0 && (requests < 2 || window.compareTo(Duration.ofSeconds(1)) < 0
				|| window.compareTo(Duration.ofHours(1)) > 0)) {
			throw invalid(requests + "/" + window);
		}
	}

	public boolean unlimited() {
		return this.requests == 0;
	}

	/**
	 * Parses {@code <requests>/<window>} ({@code 150/30s}, {@code 10/1s}) or
	 * {@code unlimited}.
	 */
	public static RequestBudget parse(String text) {
		if (text.isBlank() || text.trim().toLowerCase(Locale.ROOT).equals("unlimited")) {
			return UNLIMITED;
		}
		Matcher matcher = FORMAT.matcher(text.toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw invalid(text);
		}
		Duration window;
		try {
			window = DurationStyle.SIMPLE.parse(matcher.group(2).replace(" ", ""));
		}
		catch (IllegalArgumentException ex) {
			throw invalid(text);
		}
		return new RequestBudget(Integer.parseInt(matcher.group(1)), window);
	}

	private static InvalidConfiguration invalid(String value) {
		return new InvalidConfiguration(
				"SPOTIFY_REQUEST_BUDGET must be <requests>/<window> (at least 2 requests, a window from 1s to 1h) "
						+ "or unlimited, was " + value,
				"Set SPOTIFY_REQUEST_BUDGET to a value such as 150/30s, or leave it unset for the default.");
	}

	@Override
	public String toString() {
		return unlimited() ? "unlimited" : this.requests + "/" + this.window.toSeconds() + "s";
	}

}
