package dev.savedtracks.emulator;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static dev.savedtracks.emulator.EmulatorClient.REDIRECT_URI;
import static dev.savedtracks.emulator.EmulatorClient.assertApiError;
import static dev.savedtracks.emulator.EmulatorClient.challenge;
import static dev.savedtracks.emulator.EmulatorClient.get;
import static dev.savedtracks.emulator.EmulatorClient.json;
import static dev.savedtracks.emulator.EmulatorClient.location;
import static dev.savedtracks.emulator.EmulatorClient.query;
import static dev.savedtracks.emulator.EmulatorClient.verifier;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the emulated Web API authenticates, profiles and pages saved tracks as
 * Spotify does.
 */
// A per-test ceiling, so that a hanging connection fails one test instead of stalling the
// build.
@Timeout(10)
class WebApiHandlerTest {

	@RegisterExtension
	final RunningEmulator running = new RunningEmulator();

	@Test
	void webApiAnswers401And403LikeSpotify() throws Exception {
		String me = this.running.emulator().apiUrl() + "/v1/me";
		String token = this.running.emulator().issueAccessToken("alice");

		assertApiError(get(me, null), 401, "No token provided");
		assertApiError(get(me, "BQnot-a-real-token"), 401, "Invalid access token");
		this.running.emulator().expireAccessTokens();
		HttpResponse<String> expired = get(me, token);
		assertApiError(expired, 401, "The access token expired");
		assertThat(expired.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));

		String fresh = this.running.emulator().issueAccessToken("alice");
		this.running.emulator().user("alice").denyAccess(true);
		assertNotRegistered(get(me, fresh));
		this.running.emulator().user("alice").denyAccess(false);
		assertThat(get(me, fresh).statusCode()).isEqualTo(200);
	}

	@Test
	void unregisteredUserGetsAPlainText403FromProfileAndTracks() throws Exception {
		this.running.emulator().user("alice").generateLibrary(3).denyAccess(true);
		String token = this.running.emulator().issueAccessToken("alice");

		HttpResponse<String> me = get(this.running.emulator().apiUrl() + "/v1/me", token);
		HttpResponse<String> tracks = get(this.running.client().tracksUrl(0, 50), token);

		assertNotRegistered(me);
		assertNotRegistered(tracks);
		assertThat(this.running.emulator().counters().tracksRequestLog()).extracting(RequestRecord::status)
			.containsExactly(403);
	}

	@Test
	void lapsedOwnerPremiumRefusesEveryUsersRequestsWithJsonUntilRenewed() throws Exception {
		this.running.emulator().user("alice").generateLibrary(3);
		String alice = this.running.emulator().issueAccessToken("alice");
		String bob = this.running.emulator().issueAccessToken("bob");

		this.running.emulator().ownerPremiumLapsed(true);

		String message = "Active premium subscription required for the owner of the app.";
		HttpResponse<String> aliceTracks = get(this.running.client().tracksUrl(0, 50), alice);
		assertApiError(aliceTracks, 403, message);
		assertThat(aliceTracks.body()).isEqualTo("{\"error\":{\"status\":403,\"message\":\"" + message + "\"}}");
		assertThat(aliceTracks.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me", alice), 403, message);
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me", bob), 403, message);
		assertApiError(get(this.running.client().tracksUrl(0, 50), bob), 403, message);
		assertApiError(get(this.running.client().tracksUrl(0, 50), "BQnot-a-real-token"), 401, "Invalid access token");

		this.running.emulator().ownerPremiumLapsed(false);
		assertThat(get(this.running.client().tracksUrl(0, 50), alice).statusCode()).isEqualTo(200);
		assertThat(get(this.running.emulator().apiUrl() + "/v1/me", bob).statusCode()).isEqualTo(200);
	}

	@Test
	void profileHasNoFieldsRemovedForDevelopmentModeApps() throws Exception {
		this.running.emulator().user("bob").displayName("Bob \"the\" Böb");

		JsonNode me = json(
				get(this.running.emulator().apiUrl() + "/v1/me", this.running.emulator().issueAccessToken("bob")));

		assertThat(me.propertyNames()).containsExactly("display_name", "external_urls", "href", "id", "images", "type",
				"uri");
		assertThat(me.path("display_name").stringValue()).isEqualTo("Bob \"the\" Böb");
		assertThat(me.path("id").stringValue()).isEqualTo("bob");
		assertThat(me.path("uri").stringValue()).isEqualTo("spotify:user:bob");
		assertThat(me.path("href").stringValue()).isEqualTo(this.running.emulator().apiUrl() + "/v1/users/bob");
		assertThat(me.path("external_urls").path("spotify").stringValue())
			.isEqualTo("https://open.spotify.com/user/bob");
		assertThat(this.running.emulator().counters().meRequests()).isEqualTo(1);
	}

	@Test
	void unknownPathsAnswerServiceNotFound() throws Exception {
		String token = this.running.emulator().issueAccessToken("alice");

		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me/playlists", token), 404, "Service not found");
		assertApiError(get("http://127.0.0.1:" + this.running.emulator().port() + "/v2/me", token), 404,
				"Service not found");
	}

	@Test
	void webApiIsAlsoServedAtTheRootForLibrariesWithoutABasePath() throws Exception {
		String token = this.running.emulator().issueAccessToken("alice");

		HttpResponse<String> me = get("http://127.0.0.1:" + this.running.emulator().port() + "/v1/me", token);

		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).contains("\"id\":\"alice\"");
	}

	@Test
	void pagingObjectOfAnEmptyLibrary() throws Exception {
		JsonNode page = this.running.client().tracks("alice", 0, 50);

		assertThat(page.propertyNames()).containsExactly("href", "items", "limit", "next", "offset", "previous",
				"total");
		assertThat(page.path("href").stringValue()).isEqualTo(this.running.client().tracksUrl(0, 50));
		assertThat(page.path("items").size()).isZero();
		assertThat(page.path("total").asInt()).isZero();
		assertThat(page.path("next").isNull()).isTrue();
		assertThat(page.path("previous").isNull()).isTrue();
	}

	@Test
	void pagingObjectOfOneFiftyAndFiftyOneTracks() throws Exception {
		this.running.emulator().user("one").generateLibrary(1);
		this.running.emulator().user("fifty").generateLibrary(50);
		this.running.emulator().user("fiftyone").generateLibrary(51);

		JsonNode one = this.running.client().tracks("one", 0, 50);
		assertThat(one.path("items").size()).isEqualTo(1);
		assertThat(one.path("next").isNull()).isTrue();

		JsonNode fifty = this.running.client().tracks("fifty", 0, 50);
		assertThat(fifty.path("items").size()).isEqualTo(50);
		assertThat(fifty.path("total").asInt()).isEqualTo(50);
		assertThat(fifty.path("next").isNull()).isTrue();

		JsonNode first = this.running.client().tracks("fiftyone", 0, 50);
		assertThat(first.path("items").size()).isEqualTo(50);
		assertThat(first.path("total").asInt()).isEqualTo(51);
		assertThat(first.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(50, 50));
		assertThat(first.path("previous").isNull()).isTrue();
		JsonNode second = this.running.client().tracks("fiftyone", 50, 50);
		assertThat(second.path("items").size()).isEqualTo(1);
		assertThat(second.path("offset").asInt()).isEqualTo(50);
		assertThat(second.path("next").isNull()).isTrue();
		assertThat(second.path("previous").stringValue()).isEqualTo(this.running.client().tracksUrl(0, 50));
	}

	@Test
	void limitAndOffsetDefaultTo20And0AndAreValidated() throws Exception {
		String token = this.running.emulator().issueAccessToken("alice");
		this.running.emulator().user("alice").generateLibrary(30);

		JsonNode defaults = json(get(this.running.emulator().apiUrl() + "/v1/me/tracks", token));
		assertThat(defaults.path("limit").asInt()).isEqualTo(20);
		assertThat(defaults.path("offset").asInt()).isZero();
		assertThat(defaults.path("items").size()).isEqualTo(20);
		assertThat(defaults.path("next").stringValue()).isEqualTo(this.running.client().tracksUrl(20, 20));

		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me/tracks?limit=51", token), 400, "Invalid limit");
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me/tracks?limit=0", token), 400, "Invalid limit");
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me/tracks?limit=ten", token), 400, "Invalid limit");
		assertApiError(get(this.running.emulator().apiUrl() + "/v1/me/tracks?offset=-1", token), 400, "Invalid offset");
		assertThat(this.running.emulator().counters().tracksRequestLog()).extracting(RequestRecord::status)
			.containsExactly(200, 400, 400, 400, 400);
	}

	@Test
	void tracksNeedTheLibraryScope() throws Exception {
		String verifier = verifier();
		Map<String, String> params = this.running.client().authorizeParams("s");
		params.put("scope", "user-read-private");
		params.put("code_challenge", challenge(verifier));
		params.put("code_challenge_method", "S256");
		String code = query(location(this.running.client().submitConsent(params, "accept", "alice"))).get("code");
		String token = json(this.running.client()
			.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI,
					"code_verifier", verifier)))
			.path("access_token")
			.stringValue();

		assertApiError(get(this.running.client().tracksUrl(0, 50), token), 403, "Insufficient client scope");
	}

	@Test
	void generatedTracksLookLikeSpotifysWithoutRemovedFields() throws Exception {
		this.running.emulator().user("alice").generateLibrary(120);

		List<JsonNode> items = new ArrayList<>();
		for (int offset = 0; offset < 120; offset += 50) {
			this.running.client().tracks("alice", offset, 50).path("items").forEach(items::add);
		}

		assertThat(items).hasSize(120);
		Set<String> ids = new HashSet<>();
		Instant previous = Instant.MAX;
		for (JsonNode item : items) {
			Instant addedAt = Instant.parse(item.path("added_at").stringValue());
			assertThat(item.path("added_at").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
			assertThat(addedAt).isBefore(previous);
			previous = addedAt;
			JsonNode track = item.path("track");
			assertThat(track.has("available_markets")).isFalse();
			assertThat(track.has("popularity")).isFalse();
			assertThat(track.path("id").stringValue()).matches("[0-9A-Za-z]{22}");
			assertThat(ids.add(track.path("id").stringValue())).isTrue();
			assertThat(track.path("uri").stringValue()).isEqualTo("spotify:track:" + track.path("id").stringValue());
			assertThat(track.path("name").stringValue()).matches("Track \\d{4} – \\w+");
			assertThat(track.path("artists").size()).isBetween(1, 3);
			assertThat(track.path("artists").path(0).path("uri").stringValue()).startsWith("spotify:artist:");
			assertThat(track.path("album").path("uri").stringValue()).startsWith("spotify:album:");
			assertThat(track.path("type").stringValue()).isEqualTo("track");
			assertThat(track.path("is_local").asBoolean()).isFalse();
			assertThat(track.path("album").has("available_markets")).isFalse();
		}
		// Track 97 (index 120 - 97 = 23) lacks ISRC and images; track 50 (index 70) lacks
		// a release date.
		JsonNode missingIsrc = items.get(23).path("track");
		assertThat(missingIsrc.path("name").stringValue()).startsWith("Track 0097");
		assertThat(missingIsrc.path("external_ids").has("isrc")).isFalse();
		assertThat(missingIsrc.path("album").path("images").isNull()).isTrue();
		JsonNode missingDate = items.get(70).path("track");
		assertThat(missingDate.path("name").stringValue()).startsWith("Track 0050");
		assertThat(missingDate.path("album").has("release_date")).isFalse();
		JsonNode complete = items.get(0).path("track");
		assertThat(complete.path("external_ids").path("isrc").stringValue()).matches("[A-Z0-9]{12}");
		assertThat(complete.path("album").path("release_date").stringValue()).matches("\\d{4}-\\d\\d-\\d\\d");
		assertThat(complete.path("album").path("images").path(0).path("url").stringValue())
			.matches("https://i\\.scdn\\.co/image/[0-9a-f]{40}");
	}

	@Test
	void handMadeAndLocalTracksRoundTripExactly() throws Exception {
		String tricky = "Comma, \"quote\"\nnewline – naïve 東京 🎵";
		this.running.emulator()
			.user("alice")
			.saveTrack(SavedTrack.of("4uLU6hMCjMI75M1A2tKUQC", tricky, "Sigur Rós, \"Jónsi\""))
			.saveTrack(SavedTrack.local("My Demo", "Me & You", "Garage", 125_900))
			.saveTrack(SavedTrack.of("0000000000000000000001", "No album", "X").withAlbum(null).withIsrc(null));

		JsonNode items = this.running.client().tracks("alice", 0, 50).path("items");

		JsonNode noAlbum = items.path(0).path("track");
		assertThat(noAlbum.path("album").isNull()).isTrue();
		assertThat(noAlbum.path("external_ids").size()).isZero();
		JsonNode local = items.path(1).path("track");
		assertThat(local.path("id").isNull()).isTrue();
		assertThat(local.path("is_local").asBoolean()).isTrue();
		assertThat(local.path("uri").stringValue()).isEqualTo("spotify:local:Me+%26+You:Garage:My+Demo:125");
		JsonNode handMade = items.path(2).path("track");
		assertThat(handMade.path("name").stringValue()).isEqualTo(tricky);
		assertThat(handMade.path("artists").path(0).path("name").stringValue()).isEqualTo("Sigur Rós, \"Jónsi\"");
		assertThat(handMade.path("id").stringValue()).isEqualTo("4uLU6hMCjMI75M1A2tKUQC");
	}

	/**
	 * Spotify's answer to a user missing from a development-mode app's user list: plain
	 * text, not JSON.
	 */
	private static void assertNotRegistered(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
		assertThat(response.body())
			.isEqualTo("Check settings on developer.spotify.com/dashboard, the user may not be registered.");
	}

}
