package dev.savedtracks.spotify;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Spotify's paging object for {@code GET /v1/me/tracks}. Every field may be missing
 * upstream; callers validate with {@link SpotifyClient} before trusting it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SavedTracksPage(@Nullable String href, @Nullable List<Item> items, @Nullable Integer limit,
		@Nullable String next, @Nullable Integer offset, @Nullable String previous, @Nullable Long total) {

	public List<Item> itemsOrEmpty() {
		return (this.items != null) ? this.items : List.of();
	}

	/** Spotify's count; {@link SpotifyClient} has bounded it by then. */
	public int totalOrZero() {
		return (this.total != null) ? (int) Math.min(this.total, Integer.MAX_VALUE) : 0;
	}

	/** One saved track: when it was saved, and the track. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Item(@JsonProperty("added_at") @Nullable String addedAt, @Nullable Track track) {
	}

	/**
	 * A track as Spotify describes it; fields removed for development-mode apps
	 * ({@code popularity}, {@code available_markets}, {@code linked_from}) are simply not
	 * read.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Track(@Nullable String id, @Nullable String name, @Nullable String uri,
			@JsonProperty("duration_ms") @Nullable Integer durationMs, @Nullable Boolean explicit,
			@JsonProperty("external_ids") @Nullable ExternalIds externalIds, @Nullable List<Artist> artists,
			@Nullable Album album, @JsonProperty("is_local") @Nullable Boolean local,
			@JsonProperty("disc_number") @Nullable Integer discNumber,
			@JsonProperty("track_number") @Nullable Integer trackNumber) {
	}

	/** Identifiers outside Spotify. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ExternalIds(@Nullable String isrc) {
	}

	/** A simplified artist. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Artist(@Nullable String id, @Nullable String name) {
	}

	/** A simplified album. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Album(@Nullable String id, @Nullable String name,
			@JsonProperty("release_date") @Nullable String releaseDate, @Nullable List<Image> images,
			@JsonProperty("release_date_precision") @Nullable String releaseDatePrecision,
			@JsonProperty("album_type") @Nullable String albumType,
			@JsonProperty("total_tracks") @Nullable Integer totalTracks, @Nullable List<Artist> artists) {
	}

	/** A cover image. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Image(@Nullable String url, @Nullable Integer width, @Nullable Integer height) {
	}

}
