package dev.savedtracks.mcp;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

/**
 * What the filters of {@link TrackSearch} compare of a track, prepared once: its title,
 * artists' names and album's name folded into one text ({@link TextFolding}), one field
 * apart from the next, with where the artists and the album start; when it was saved; the
 * year its album was released. The library keeps these with the parsed copy
 * ({@link #DERIVED}), so that a search or the statistics over an unchanged library fold
 * only the query, not every title and name on every call.
 */
record SearchableTrack(String text, int artistsFrom, int artistsTo, int albumFrom, @Nullable Instant added,
		int releaseYear) {

	/** Kept by the library with each parsed copy, computed once per library version. */
	static final Library.Derived<SearchableTrack> DERIVED = SearchableTrack::of;

	/** {@link #releaseYear} when Spotify gave none (no four-digit year can be it). */
	static final int NO_YEAR = Integer.MIN_VALUE;

	/**
	 * Separates the fields of the text, so that no word can match across two of them.
	 */
	static final char FIELD_SEPARATOR = '\u0000';

	static SearchableTrack of(Track track) {
		StringBuilder text = new StringBuilder(128);
		text.append((track.name() != null) ? TextFolding.fold(track.name()) : "");
		int artistsFrom = text.length() + 1;
		for (Track.ArtistRef artist : track.artists()) {
			text.append(FIELD_SEPARATOR).append((artist.name() != null) ? TextFolding.fold(artist.name()) : "");
		}
		int artistsTo = Math.max(artistsFrom, text.length());
		int albumFrom = -1;
		if (track.album() != null && track.album().name() != null) {
			text.append(FIELD_SEPARATOR);
			albumFrom = text.length();
			text.append(TextFolding.fold(track.album().name()));
		}
		Integer year = TrackSearch.releaseYear(track);
		return new SearchableTrack(text.toString(), artistsFrom, artistsTo, albumFrom, added(track),
				(year != null) ? year : NO_YEAR);
	}

	/**
	 * Whether every word is in the text (the words folded, none holding the separator).
	 */
	boolean containsAll(Iterable<String> words) {
		for (String word : words) {
			if (!this.text.contains(word)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether an artist's name holds {@code folded} (without the separator, so that no
	 * match found among the artists spans two names).
	 */
	boolean artistContains(String folded) {
		return within(folded, this.artistsFrom, this.artistsTo);
	}

	/**
	 * Whether the album's name holds {@code folded}: it is the last field, so no match
	 * found from its start spans two.
	 */
	boolean albumContains(String folded) {
		return this.albumFrom >= 0 && within(folded, this.albumFrom, this.text.length());
	}

	private boolean within(String folded, int from, int to) {
		int at = this.text.indexOf(folded, from);
		return at >= 0 && at + folded.length() <= to;
	}

	/**
	 * When the track was saved; {@code null} when Spotify did not say, or in a shape
	 * {@link TrackSearch#parse} rejects (which a date filter then reports as it always
	 * has).
	 */
	private static @Nullable Instant added(Track track) {
		if (track.addedAt() == null) {
			return null;
		}
		try {
			return TrackSearch.parse(track.addedAt());
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
