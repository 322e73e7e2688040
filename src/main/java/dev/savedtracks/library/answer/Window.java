package dev.savedtracks.library.answer;

/**
 * Which tracks of a library an answer holds: {@code limit} tracks from {@code offset}, in
 * Spotify's order (the most recently saved first). The whole library by default.
 */
public record Window(int offset, int limit) {

	/** The largest offset and limit a caller may ask for. */
	public static final int MAX = 1_000_000;

	/** The whole library. */
	public static final Window ALL = new Window(0, MAX);

	/** How many tracks of a library of {@code total} tracks this window holds. */
	public int sizeIn(int total) {
		return Math.min(this.limit, Math.max(0, total - this.offset));
	}

}
