package dev.savedtracks.account;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * {@code Accept-Language} values as they are stored and sent to Spotify: parsed (RFC 4647
 * ranges with weights), at most five ranges, and written back in one canonical form, so
 * that nothing a browser or a person typed reaches Spotify or the database as it came.
 */
final class Languages {

	/** The most ranges kept: Spotify needs the first one or two. */
	private static final int MAX_RANGES = 5;

	/** The longest value stored (the column's size). */
	static final int MAX_LENGTH = 200;

	private Languages() {
	}

	/**
	 * The canonical form of {@code value}, or {@code null} when it is not a language
	 * list.
	 */
	static @Nullable String normalised(@Nullable String value) {
		if (value == null || value.isBlank() || value.length() > 1000) {
			return null;
		}
		List<Locale.LanguageRange> ranges;
		try {
			ranges = Locale.LanguageRange.parse(value.strip());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		String text = ranges.stream()
			.filter(range -> !range.getRange().equals("*"))
			.limit(MAX_RANGES)
			.map(range -> (range.getWeight() == Locale.LanguageRange.MAX_WEIGHT) ? range.getRange()
					: range.getRange() + ";q=" + Math.round(range.getWeight() * 10) / 10.0)
			.collect(Collectors.joining(","));
		return (text.isEmpty() || text.length() > MAX_LENGTH) ? null : text;
	}

}
