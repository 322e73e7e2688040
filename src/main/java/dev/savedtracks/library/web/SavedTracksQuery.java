package dev.savedtracks.library.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.read.ReadRequest;
import dev.savedtracks.library.read.ReadRequest.Refresh;

/**
 * The query of {@code GET /api/saved-tracks}: which window of the library
 * ({@code offset}, {@code limit}; the whole library by default) and whether to revalidate
 * against Spotify now ({@code refresh}). Parsed strictly, before any Spotify request: a
 * repeated, non-numeric or out-of-range value is an error, not a guess.
 */
final class SavedTracksQuery {

	private static final Pattern DIGITS = Pattern.compile("[0-9]{1,7}");

	private SavedTracksQuery() {
	}

	/**
	 * The read the query asks for.
	 * @param acceptsStale whether the caller prefers a stale copy to an error (a header,
	 * not a parameter)
	 * @throws InvalidParameters naming every parameter that is not acceptable
	 */
	static ReadRequest parse(Map<String, String[]> parameters, boolean acceptsStale) {
		List<InvalidParameters.Invalid> invalid = new ArrayList<>();
		Integer offset = number(parameters, "offset", 0, invalid);
		Integer limit = number(parameters, "limit", 1, invalid);
		Refresh refresh = refresh(parameters, invalid);
		if (!invalid.isEmpty()) {
			throw new InvalidParameters(invalid);
		}
		return new ReadRequest(new Window((offset != null) ? offset : 0, (limit != null) ? limit : Window.MAX),
				(refresh != null) ? refresh : Refresh.NONE, acceptsStale);
	}

	private static @Nullable Integer number(Map<String, String[]> parameters, String name, int min,
			List<InvalidParameters.Invalid> invalid) {
		String value = single(parameters, name, invalid);
		if (value == null) {
			return null;
		}
		if (!DIGITS.matcher(value).matches() || Integer.parseInt(value) < min || Integer.parseInt(value) > Window.MAX) {
			invalid
				.add(new InvalidParameters.Invalid(name, "must be a whole number from " + min + " to " + Window.MAX));
			return null;
		}
		return Integer.parseInt(value);
	}

	private static @Nullable Refresh refresh(Map<String, String[]> parameters,
			List<InvalidParameters.Invalid> invalid) {
		String value = single(parameters, "refresh", invalid);
		if (value == null) {
			return null;
		}
		return switch (value) {
			case "false" -> Refresh.NONE;
			case "true" -> Refresh.CHECK;
			case "full" -> Refresh.FULL;
			default -> {
				invalid.add(new InvalidParameters.Invalid("refresh", "must be true, false or full"));
				yield null;
			}
		};
	}

	private static @Nullable String single(Map<String, String[]> parameters, String name,
			List<InvalidParameters.Invalid> invalid) {
		String[] values = parameters.get(name);
		if (values == null || values.length == 0) {
			return null;
		}
		if (values.length > 1) {
			invalid.add(new InvalidParameters.Invalid(name, "must be given at most once"));
			return null;
		}
		return values[0];
	}

}
