package dev.savedtracks.mcp;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

/**
 * Counts a library as it is visited, most recently saved first, holding one counter per
 * artist and per year and never the tracks themselves: the newest track is the first
 * visited, the oldest the last.
 */
final class LibraryStats implements Consumer<Track> {

	private final Map<String, ArtistCount> artists = new HashMap<>();

	private final SortedMap<String, Integer> savedPerYear = new TreeMap<>();

	private @Nullable Track newest;

	private @Nullable Track oldest;

	@Override
	public void accept(Track track) {
		if (this.newest == null) {
			this.newest = track;
		}
		this.oldest = track;
		String addedAt = track.addedAt();
		if (addedAt != null && addedAt.length() > 4 && addedAt.charAt(4) == '-') {
			this.savedPerYear.merge(addedAt.substring(0, 4), 1, Integer::sum);
		}
		// An artist credited twice on one track counts once for it.
		Set<String> counted = new HashSet<>(4);
		for (Track.ArtistRef artist : track.artists()) {
			if (artist.name() == null) {
				continue;
			}
			String key = (artist.id() != null) ? artist.id() : "name:" + artist.name();
			if (counted.add(key)) {
				this.artists.computeIfAbsent(key, k -> new ArtistCount(artist.name())).count++;
			}
		}
	}

	/** The figures, with the {@code top} most saved artists (ties by name). */
	Result result(Library.Copy library, int top) {
		List<TopArtist> topArtists = this.artists.values()
			.stream()
			.sorted(Comparator.comparingInt((ArtistCount a) -> a.count).reversed().thenComparing(a -> a.name))
			.limit(top)
			.map(a -> new TopArtist(a.name, a.count))
			.toList();
		return new Result(library.total(), library.syncedAt(),
				(library.stale() != null) ? library.stale().slug() : null, topArtists, this.savedPerYear, this.oldest,
				this.newest);
	}

	/** The answer of {@code library_stats}. */
	record Result(int total, @Nullable Instant lastSyncedAt, @Nullable String stale, List<TopArtist> topArtists,
			Map<String, Integer> savedPerYear, @Nullable Track oldest, @Nullable Track newest) {
	}

	/** One of the most saved artists: on how many saved tracks they are credited. */
	record TopArtist(String name, int count) {
	}

	private static final class ArtistCount {

		private final String name;

		private int count;

		ArtistCount(String name) {
			this.name = name;
		}

	}

}
