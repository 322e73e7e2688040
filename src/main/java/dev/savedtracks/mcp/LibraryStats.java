package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

/**
 * Counts the tracks of a library that pass a filter as it is visited, most recently saved
 * first, holding one counter per artist, album, year, month and decade and never the
 * tracks themselves: the newest track is the first counted, the oldest the last.
 */
final class LibraryStats implements Consumer<Track> {

	/** The most counted first, ties by name. */
	private static final Comparator<Count> BY_RANK = (a, b) -> (a.count != b.count) ? Integer.compare(b.count, a.count)
			: a.name.compareTo(b.name);

	private final TrackSearch filter;

	private final Map<String, Count> artists = new HashMap<>();

	private final Map<String, Count> albums = new HashMap<>();

	private final SortedMap<String, Integer> savedPerYear = new TreeMap<>();

	private final SortedMap<String, Integer> savedPerMonth = new TreeMap<>();

	private final SortedMap<String, Integer> releaseDecades = new TreeMap<>();

	private int matching;

	private @Nullable Track newest;

	private @Nullable Track oldest;

	LibraryStats() {
		this(TrackSearch.of(null, null, null, null));
	}

	LibraryStats(TrackSearch filter) {
		this.filter = filter;
	}

	@Override
	public void accept(Track track) {
		accept(track, SearchableTrack.of(track));
	}

	/**
	 * Counts the track if it passes the filter, compared with its text as prepared once
	 * per library version.
	 */
	void accept(Track track, SearchableTrack searchable) {
		if (!this.filter.matches(track, searchable)) {
			return;
		}
		this.matching++;
		if (this.newest == null) {
			this.newest = track;
		}
		this.oldest = track;
		String addedAt = track.addedAt();
		if (addedAt != null && addedAt.length() >= 7 && addedAt.charAt(4) == '-') {
			this.savedPerYear.merge(addedAt.substring(0, 4), 1, Integer::sum);
			this.savedPerMonth.merge(addedAt.substring(0, 7), 1, Integer::sum);
		}
		int year = searchable.releaseYear();
		if (year != SearchableTrack.NO_YEAR) {
			this.releaseDecades.merge((year / 10 * 10) + "s", 1, Integer::sum);
		}
		// An artist credited twice on one track counts once for it (most tracks have one
		// artist, and need no set to tell).
		Set<String> counted = (track.artists().size() > 1) ? new HashSet<>(4) : null;
		String firstArtist = null;
		for (Track.ArtistRef artist : track.artists()) {
			if (artist.name() == null) {
				continue;
			}
			firstArtist = (firstArtist != null) ? firstArtist : artist.name();
			String key = (artist.id() != null) ? artist.id() : "name:" + artist.name();
			if (counted == null || counted.add(key)) {
				this.artists.computeIfAbsent(key, k -> new Count(artist.name(), null)).count++;
			}
		}
		Track.AlbumRef album = track.album();
		if (album != null && album.name() != null) {
			String key = (album.id() != null) ? album.id() : "name:" + album.name() + "|" + firstArtist;
			String artist = firstArtist;
			this.albums.computeIfAbsent(key, k -> new Count(album.name(), artist)).count++;
		}
	}

	/** How many tracks passed the filter. */
	int matching() {
		return this.matching;
	}

	/** Every artist counted, the most saved first (ties by name). */
	List<TopArtist> artists() {
		return artists(this.artists.size());
	}

	/** Every album counted, the most saved first (ties by name). */
	List<TopAlbum> albums() {
		return albums(this.albums.size());
	}

	private List<TopArtist> artists(int first) {
		return first(this.artists, first).stream().map(a -> new TopArtist(a.name, a.count)).toList();
	}

	private List<TopAlbum> albums(int first) {
		return first(this.albums, first).stream().map(a -> new TopAlbum(a.name, a.artist, a.count)).toList();
	}

	/**
	 * The figures, with the {@code top} most saved artists and albums, and the saves per
	 * month too when {@code perMonth}.
	 */
	Result result(Library.Copy library, int top, boolean perMonth) {
		return new Result(this.matching, library.total(), this.filter.describe(), library.syncedAt(),
				(library.stale() != null) ? library.stale().slug() : null, artists(top), albums(top), this.savedPerYear,
				perMonth ? this.savedPerMonth : null, this.releaseDecades, this.oldest, this.newest);
	}

	Result result(Library.Copy library, int top) {
		return result(library, top, false);
	}

	/**
	 * The {@code first} counts in rank order (the most counted first, ties by name, then
	 * in the map's order, as a stable sort leaves them): the whole list sorted when all
	 * are wanted, otherwise only the first kept while the counts are visited, so that the
	 * top 10 of 10,000 albums costs no sort of them all.
	 */
	private static List<Count> first(Map<String, Count> counts, int first) {
		if (first >= counts.size()) {
			List<Count> all = new ArrayList<>(counts.values());
			all.sort(BY_RANK);
			return all;
		}
		if (first <= 0) {
			return List.of();
		}
		Comparator<Ranked> order = (a, b) -> {
			int rank = BY_RANK.compare(a.count(), b.count());
			return (rank != 0) ? rank : Integer.compare(a.place(), b.place());
		};
		PriorityQueue<Ranked> kept = new PriorityQueue<>(first, order.reversed());
		int place = 0;
		for (Count count : counts.values()) {
			Ranked ranked = new Ranked(count, place++);
			if (kept.size() < first) {
				kept.add(ranked);
			}
			else if (order.compare(ranked, kept.peek()) < 0) {
				kept.poll();
				kept.add(ranked);
			}
		}
		List<Ranked> sorted = new ArrayList<>(kept);
		sorted.sort(order);
		return sorted.stream().map(Ranked::count).toList();
	}

	/** A count and its place in the map's order. */
	private record Ranked(Count count, int place) {
	}

	/**
	 * The answer of {@code library_stats}: {@code total} tracks pass the filters (the
	 * whole library without), of {@code libraryTotal}.
	 */
	record Result(int total, int libraryTotal, String filters, @Nullable Instant lastSyncedAt, @Nullable String stale,
			List<TopArtist> topArtists, List<TopAlbum> topAlbums, Map<String, Integer> savedPerYear,
			@Nullable Map<String, Integer> savedPerMonth, Map<String, Integer> releaseDecades, @Nullable Track oldest,
			@Nullable Track newest) {
	}

	/** An artist: on how many saved tracks they are credited. */
	record TopArtist(String name, int count) {
	}

	/**
	 * An album: how many of its tracks are saved, and an artist of the first one seen.
	 */
	record TopAlbum(String name, @Nullable String artist, int count) {
	}

	private static final class Count {

		private final String name;

		private final @Nullable String artist;

		private int count;

		Count(String name, @Nullable String artist) {
			this.name = name;
			this.artist = artist;
		}

	}

}
