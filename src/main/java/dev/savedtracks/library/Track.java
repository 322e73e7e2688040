package dev.savedtracks.library;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One saved track as this service returns it, in every format (JSON, CSV, NDJSON, MCP
 * tools), with its fields in one order everywhere: the order of this record's components
 * (and {@link AlbumRef}'s) is the one definition, which JSON follows and CSV and MCP
 * derive ({@link #FIELDS}). It keeps every field of Spotify's answer that a
 * development-mode app still gets. Any field Spotify leaves out is {@code null} here,
 * never an error. A local file (a track the person added from their own disk) has no id;
 * it keeps its name, URI, artist names and duration.
 */
public record Track(@Nullable String id, @Nullable String name, @Nullable String uri, @Nullable String addedAt,
		@Nullable Integer durationMs, @Nullable Boolean explicit, @Nullable Integer discNumber,
		@Nullable Integer trackNumber, @Nullable String isrc, List<ArtistRef> artists, @Nullable AlbumRef album,
		boolean local) {

	/** The names of a track's fields, in their one order. */
	public static final List<String> FIELDS = Arrays.stream(Track.class.getRecordComponents())
		.map(RecordComponent::getName)
		.toList();

	/** The fields of this track named in {@code wanted}, in their one order. */
	public Map<String, @Nullable Object> only(Set<String> wanted) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		for (RecordComponent component : Track.class.getRecordComponents()) {
			if (wanted.contains(component.getName())) {
				try {
					fields.put(component.getName(), component.getAccessor().invoke(this));
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return fields;
	}

	/** A track without disc and track number (tests, older callers). */
	public Track(@Nullable String id, @Nullable String name, @Nullable String uri, @Nullable String addedAt,
			@Nullable Integer durationMs, @Nullable Boolean explicit, @Nullable String isrc, List<ArtistRef> artists,
			@Nullable AlbumRef album, boolean local) {
		this(id, name, uri, addedAt, durationMs, explicit, null, null, isrc, artists, album, local);
	}

	/** An artist of the track or of its album. */
	public record ArtistRef(@Nullable String id, @Nullable String name) {
	}

	/**
	 * The album the track belongs to: its {@code type} is Spotify's {@code album_type}
	 * (album, single, compilation), {@code releaseDatePrecision} says whether
	 * {@code releaseDate} is a year, a month or a day, and {@code artists} are the
	 * album's, which may differ from the track's.
	 */
	public record AlbumRef(@Nullable String id, @Nullable String name, @Nullable String releaseDate,
			@Nullable String imageUrl, @Nullable String releaseDatePrecision, @Nullable String type,
			@Nullable Integer totalTracks, @Nullable List<ArtistRef> artists) {

		/** An album with only its name, date and cover (tests, older callers). */
		public AlbumRef(@Nullable String id, @Nullable String name, @Nullable String releaseDate,
				@Nullable String imageUrl) {
			this(id, name, releaseDate, imageUrl, null, null, null, null);
		}

	}

}
