package dev.savedtracks.mcp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

import dev.savedtracks.library.Track;

/**
 * The order of a listing ({@code sort}, {@code order}): by when saved (the library's own
 * order, newest first, the default), title, first artist, album, release date or length.
 * Any order but the library's own keeps only the first {@code offset + limit} tracks
 * while the library is visited, never the whole library, so a sorted listing reaches at
 * most {@value #MAX_DEPTH} tracks deep.
 */
record TrackOrder(String sort, boolean descending) {

	static final int MAX_DEPTH = 10_000;

	static final List<String> SORTS = List.of("savedAt", "name", "artist", "album", "releaseDate", "duration");

	static TrackOrder of(Map<String, Object> arguments) {
		String sort = (arguments.get("sort") instanceof String text) ? text : "savedAt";
		if (!SORTS.contains(sort)) {
			throw new TrackSearch.InvalidArguments("sort must be one of " + String.join(", ", SORTS) + ".");
		}
		String order = (arguments.get("order") instanceof String text) ? text.toLowerCase(Locale.ROOT) : null;
		// Dates and lengths read best largest first, names from A.
		boolean descending = (order != null) ? order.equals("desc")
				: sort.equals("savedAt") || sort.equals("releaseDate") || sort.equals("duration");
		return new TrackOrder(sort, descending);
	}

	/** Whether this is the library's own order, which needs no sorting. */
	boolean isLibraryOrder() {
		return this.sort.equals("savedAt") && this.descending;
	}

	/**
	 * Collects the first {@code depth} tracks in this order, as they are visited in the
	 * library's order (ties keep the library's order).
	 */
	Top top(int depth) {
		if (depth > MAX_DEPTH) {
			throw new TrackSearch.InvalidArguments("A listing sorted by " + this.sort + " reaches at most " + MAX_DEPTH
					+ " tracks deep (offset + limit); narrow it with filters, or sort by savedAt (desc).");
		}
		return new Top(comparator(), depth, this::key);
	}

	private Comparator<Numbered> comparator() {
		Comparator<Numbered> key = this.sort.equals("duration")
				? Comparator.comparing(n -> n.track().durationMs(), Comparator.nullsFirst(Comparator.naturalOrder()))
				: Comparator.comparing(Numbered::key);
		return (this.descending ? key.reversed() : key).thenComparingInt(Numbered::number);
	}

	/**
	 * What a track is sorted by, folded once when it is visited, not at each comparison.
	 */
	private String key(Track track) {
		String value = switch (this.sort) {
			case "name" -> track.name();
			case "artist" -> track.artists().isEmpty() ? null : track.artists().get(0).name();
			case "album" -> (track.album() != null) ? track.album().name() : null;
			case "releaseDate" -> (track.album() != null) ? track.album().releaseDate() : null;
			case "duration" -> null;
			default -> track.addedAt();
		};
		return (value != null) ? TrackSearch.fold(value) : "";
	}

	/** A track, its place in the library's order, and its sort key. */
	record Numbered(int number, Track track, String key) {
	}

	/** The first tracks in an order, kept in a heap whose top is the last of them. */
	static final class Top {

		private final Comparator<Numbered> order;

		private final PriorityQueue<Numbered> kept;

		private final int depth;

		private final Function<Track, String> key;

		private int visited;

		Top(Comparator<Numbered> order, int depth, Function<Track, String> key) {
			this.order = order;
			this.key = key;
			this.kept = new PriorityQueue<>(Math.max(1, depth), order.reversed());
			this.depth = depth;
		}

		void add(Track track) {
			Numbered numbered = new Numbered(this.visited++, track, this.key.apply(track));
			if (this.kept.size() < this.depth) {
				this.kept.add(numbered);
			}
			else if (this.depth > 0 && this.order.compare(numbered, this.kept.peek()) < 0) {
				this.kept.poll();
				this.kept.add(numbered);
			}
		}

		/** The tracks from {@code offset} on, in order. */
		List<Track> from(int offset) {
			List<Numbered> all = new ArrayList<>(this.kept);
			all.sort(this.order);
			return all.subList(Math.min(offset, all.size()), all.size()).stream().map(Numbered::track).toList();
		}

	}

}
