package dev.savedtracks.emulator;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders Web API objects the way Spotify does for development-mode apps since February
 * 2026.
 */
final class WebApiJson {

	static final JsonMapper JSON = JsonMapper.shared();

	private final String apiUrl;

	WebApiJson(String apiUrl) {
		this.apiUrl = apiUrl;
	}

	static byte[] error(int status, String message, @Nullable String reason) {
		ObjectNode body = JSON.createObjectNode();
		ObjectNode error = body.putObject("error");
		error.put("status", status);
		error.put("message", message);
		if (reason != null) {
			error.put("reason", reason);
		}
		return JSON.writeValueAsBytes(body);
	}

	/**
	 * The private profile without email, country, product, followers and explicit_content
	 * (gone since Feb 2026).
	 */
	byte[] profile(EmulatedUser user) {
		ObjectNode body = JSON.createObjectNode();
		body.put("display_name", user.displayName());
		body.putObject("external_urls").put("spotify", "https://open.spotify.com/user/" + user.id());
		body.put("href", this.apiUrl + "/v1/users/" + user.id());
		body.put("id", user.id());
		body.putArray("images");
		body.put("type", "user");
		body.put("uri", "spotify:user:" + user.id());
		return JSON.writeValueAsBytes(body);
	}

	/**
	 * A paging object over {@code items}; {@code next} and {@code total} are passed in so
	 * that faults and drift can falsify them. A null-track item renders as
	 * {@code "track": null}.
	 */
	byte[] page(String href, List<SavedTrack> items, int limit, @Nullable String next, int offset,
			@Nullable String previous, long total) {
		ObjectNode body = JSON.createObjectNode();
		body.put("href", href);
		ArrayNode array = body.putArray("items");
		for (SavedTrack item : items) {
			ObjectNode saved = array.addObject();
			saved.put("added_at", item.addedAt().toString());
			if (item.trackMissing()) {
				saved.putNull("track");
			}
			else {
				track(saved.putObject("track"), item);
			}
		}
		body.put("limit", limit);
		body.put("next", next);
		body.put("offset", offset);
		body.put("previous", previous);
		body.put("total", total);
		return JSON.writeValueAsBytes(body);
	}

	private void track(ObjectNode json, SavedTrack track) {
		Album album = track.album();
		if (album == null) {
			json.putNull("album");
		}
		else {
			album(json.putObject("album"), album, track);
		}
		artists(json.putArray("artists"), track.artists());
		String id = track.id();
		json.put("disc_number", track.local() ? 0 : 1);
		json.put("duration_ms", track.durationMs());
		json.put("explicit", track.explicit());
		ObjectNode externalIds = json.putObject("external_ids");
		if (track.isrc() != null) {
			externalIds.put("isrc", track.isrc());
		}
		externalUrls(json, "track", id);
		json.put("href", (id != null) ? this.apiUrl + "/v1/tracks/" + id : null);
		json.put("id", id);
		json.put("is_local", track.local());
		if (!track.local()) {
			json.put("is_playable", true);
		}
		json.put("name", track.name());
		boolean catalog = id != null && !track.local();
		json.put("track_number", catalog ? 1 + (int) Math.floorMod(Ids.seed("number:" + id), 12L) : 0);
		json.put("type", "track");
		if (track.local()) {
			json.put("uri", localUri(track));
		}
		else {
			json.put("uri", "spotify:track:" + id);
		}
	}

	private void album(ObjectNode json, Album album, SavedTrack track) {
		String id = album.id();
		json.put("album_type", track.local() ? null : "album");
		artists(json.putArray("artists"), track.local() ? List.of() : track.artists());
		externalUrls(json, "album", id);
		json.put("href", (id != null) ? this.apiUrl + "/v1/albums/" + id : null);
		json.put("id", id);
		if (album.imageUrl() != null) {
			ObjectNode image = json.putArray("images").addObject();
			image.put("url", album.imageUrl());
			image.put("height", 640);
			image.put("width", 640);
		}
		else if (track.local()) {
			json.putArray("images");
		}
		else {
			// Catalog albums without images exercise clients on a null array, which
			// Spotify's docs allow.
			json.putNull("images");
		}
		json.put("name", album.name());
		if (album.releaseDate() != null || track.local()) {
			json.put("release_date", album.releaseDate());
			json.put("release_date_precision", album.releaseDatePrecision());
		}
		if (!track.local()) {
			json.put("total_tracks", 12);
		}
		json.put("type", "album");
		json.put("uri", (id != null) ? "spotify:album:" + id : null);
	}

	private void artists(ArrayNode json, List<Artist> artists) {
		for (Artist artist : artists) {
			ObjectNode node = json.addObject();
			String id = artist.id();
			externalUrls(node, "artist", id);
			node.put("href", (id != null) ? this.apiUrl + "/v1/artists/" + id : null);
			node.put("id", id);
			node.put("name", artist.name());
			node.put("type", "artist");
			node.put("uri", (id != null) ? "spotify:artist:" + id : null);
		}
	}

	private static void externalUrls(ObjectNode json, String type, @Nullable String id) {
		ObjectNode urls = json.putObject("external_urls");
		if (id != null) {
			urls.put("spotify", "https://open.spotify.com/" + type + "/" + id);
		}
	}

	/**
	 * Spotify's URI for a local file: form-encoded artist, album, title and duration in
	 * seconds.
	 */
	private static String localUri(SavedTrack track) {
		String artist = track.artists().isEmpty() ? "" : track.artists().get(0).name();
		String album = (track.album() != null) ? track.album().name() : "";
		return "spotify:local:" + Http.encode(artist) + ":" + Http.encode(album) + ":" + Http.encode(track.name()) + ":"
				+ (track.durationMs() / 1000);
	}

}
