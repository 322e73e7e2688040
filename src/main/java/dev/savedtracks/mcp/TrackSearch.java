package dev.savedtracks.mcp;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Track;

/**
 * The filters every tool shares: words that must each appear in the title, an artist's
 * name or the album's name; an artist; an album; a range of save dates
 * ({@code addedAfter} inclusive, {@code addedBefore} exclusive); the decade of release;
 * explicit or not. Text is compared case- and accent-insensitively, so "beyonce" finds
 * "Beyoncé" and "royksopp" "Röyksopp".
 */
record TrackSearch(List<String> words, @Nullable String artist, @Nullable Instant addedAfter,
		@Nullable Instant addedBefore, @Nullable String album, @Nullable Integer releaseDecade,
		@Nullable Boolean explicit) {

	private static final Pattern SPACES = Pattern.compile("\\s+");

	/**
	 * @throws InvalidArguments for a date that is neither a date nor an instant
	 */
	static TrackSearch of(@Nullable String query, @Nullable String artist, @Nullable String addedAfter,
			@Nullable String addedBefore) {
		return of(query, artist, addedAfter, addedBefore, null, null, null);
	}

	/** The filters among a tool's arguments (the schema has checked their types). */
	static TrackSearch of(Map<String, Object> arguments) {
		return of(text(arguments, "query"), text(arguments, "artist"), text(arguments, "addedAfter"),
				text(arguments, "addedBefore"), text(arguments, "album"),
				(arguments.get("releaseDecade") instanceof Number decade) ? decade.intValue() : null,
				(arguments.get("explicit") instanceof Boolean explicit) ? explicit : null);
	}

	static TrackSearch of(@Nullable String query, @Nullable String artist, @Nullable String addedAfter,
			@Nullable String addedBefore, @Nullable String album, @Nullable Integer releaseDecade,
			@Nullable Boolean explicit) {
		List<String> words = (query != null)
				? Arrays.stream(SPACES.split(fold(query).trim())).filter(word -> !word.isEmpty()).toList() : List.of();
		if (releaseDecade != null && releaseDecade % 10 != 0) {
			throw new InvalidArguments("releaseDecade must be the first year of a decade, such as 1990 for the 1990s.");
		}
		return new TrackSearch(words, folded(artist), instant(addedAfter, "addedAfter"),
				instant(addedBefore, "addedBefore"), folded(album), releaseDecade, explicit);
	}

	/** A short description of the filters, for the text of an answer ("" when none). */
	String describe() {
		List<String> parts = new java.util.ArrayList<>();
		if (!this.words.isEmpty()) {
			parts.add("matching \"" + TrackText.oneLine(String.join(" ", this.words)) + "\"");
		}
		if (this.artist != null) {
			parts.add("by an artist named like \"" + TrackText.oneLine(this.artist) + "\"");
		}
		if (this.album != null) {
			parts.add("on an album named like \"" + TrackText.oneLine(this.album) + "\"");
		}
		if (this.addedAfter != null) {
			parts.add("saved from " + this.addedAfter);
		}
		if (this.addedBefore != null) {
			parts.add("saved before " + this.addedBefore);
		}
		if (this.releaseDecade != null) {
			parts.add("released in the " + this.releaseDecade + "s");
		}
		if (this.explicit != null) {
			parts.add(this.explicit ? "explicit" : "not explicit");
		}
		return String.join(", ", parts);
	}

	boolean isEmpty() {
		return describe().isEmpty();
	}

	boolean matches(Track track) {
		return matches(track, SearchableTrack.of(track));
	}

	/**
	 * Whether the track passes every filter, compared with its text as prepared once per
	 * library version ({@link SearchableTrack}), so that only the query is folded here.
	 */
	boolean matches(Track track, SearchableTrack searchable) {
		if (this.addedAfter != null || this.addedBefore != null) {
			Instant added = searchable.added();
			if (added == null && track.addedAt() != null) {
				// A shape nothing parses: the parser says why, as it always did.
				added = parse(track.addedAt());
			}
			if (added == null || (this.addedAfter != null && added.isBefore(this.addedAfter))
					|| (this.addedBefore != null && !added.isBefore(this.addedBefore))) {
				return false;
			}
		}
		if (this.artist != null && !artistMatches(this.artist, track, searchable)) {
			return false;
		}
		if (this.album != null && !searchable.albumContains(this.album)) {
			return false;
		}
		if (this.explicit != null && !this.explicit.equals(Boolean.TRUE.equals(track.explicit()))) {
			return false;
		}
		if (this.releaseDecade != null) {
			int year = searchable.releaseYear();
			if (year == SearchableTrack.NO_YEAR || year / 10 * 10 != this.releaseDecade) {
				return false;
			}
		}
		return this.words.isEmpty() || searchable.containsAll(this.words);
	}

	private static boolean artistMatches(String artist, Track track, SearchableTrack searchable) {
		if (artist.indexOf(SearchableTrack.FIELD_SEPARATOR) < 0) {
			return searchable.artistContains(artist);
		}
		// Only a query holding the separator could match across two names in the text
		// (the album's name comes last: no match found from its start spans a field).
		return track.artists().stream().anyMatch(a -> a.name() != null && fold(a.name()).contains(artist));
	}

	/**
	 * Spotify's {@code added_at} ({@code 2019-05-31T12:00:00Z}), read by hand when it has
	 * that exact shape: the general parser costs a scan of a large library as much as the
	 * rest of the filter.
	 */
	static Instant parse(String addedAt) {
		if (addedAt.length() == 20 && addedAt.charAt(4) == '-' && addedAt.charAt(7) == '-' && addedAt.charAt(10) == 'T'
				&& addedAt.charAt(13) == ':' && addedAt.charAt(16) == ':' && addedAt.charAt(19) == 'Z') {
			try {
				return java.time.LocalDateTime
					.of(digits(addedAt, 0, 4), digits(addedAt, 5, 7), digits(addedAt, 8, 10), digits(addedAt, 11, 13),
							digits(addedAt, 14, 16), digits(addedAt, 17, 19))
					.toInstant(ZoneOffset.UTC);
			}
			catch (java.time.DateTimeException | NumberFormatException ex) {
				// Not a date after all: the general parser says why.
			}
		}
		return Instant.parse(addedAt);
	}

	private static int digits(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				throw new NumberFormatException();
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	/** The year the track's album was released, if Spotify said. */
	static @Nullable Integer releaseYear(Track track) {
		String date = (track.album() != null) ? track.album().releaseDate() : null;
		if (date == null || date.length() < 4) {
			return null;
		}
		try {
			return Integer.valueOf(date.substring(0, 4));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable String folded(@Nullable String text) {
		return (text != null && !text.isBlank()) ? fold(text).trim() : null;
	}

	private static @Nullable String text(Map<String, Object> arguments, String name) {
		return (arguments.get(name) instanceof String text) ? text : null;
	}

	/** Lower case without accents, as {@link TextFolding} folds it. */
	static String fold(String text) {
		return TextFolding.fold(text);
	}

	/**
	 * A year (2019), month (2019-05), day (2019-05-31, from its start, UTC) or instant
	 * (2019-05-31T12:00:00Z).
	 */
	private static @Nullable Instant instant(@Nullable String text, String name) {
		if (text == null || text.isBlank()) {
			return null;
		}
		String value = text.trim();
		try {
			return switch (value.length()) {
				case 4 -> Year.parse(value).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
				case 7 -> YearMonth.parse(value).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
				case 10 -> LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
				default -> OffsetDateTime.parse(value).toInstant();
			};
		}
		catch (DateTimeParseException ex) {
			throw new InvalidArguments(name + " must be a date such as 2019-05-31 (or 2019, 2019-05), or an instant "
					+ "such as 2019-05-31T12:00:00Z.");
		}
	}

	/**
	 * Arguments the schema cannot check, such as dates, are wrong: the model is told
	 * which and how to fix it.
	 */
	static final class InvalidArguments extends RuntimeException {

		InvalidArguments(String message) {
			super(message);
		}

	}

}
