package dev.savedtracks.emulator;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.jspecify.annotations.Nullable;

/**
 * Builds the deterministic tracks of generated libraries: the same user id and number
 * always give the same track.
 */
final class TrackGenerator {

	/**
	 * Generated libraries start here, so that their added_at values lie well in the past
	 * of any real save.
	 */
	private static final Instant FIRST_SAVE = Instant.parse("2010-01-01T00:00:00Z");

	private static final String[] WORDS = { "Aurora", "Ballad", "Cascade", "Daybreak", "Echo", "Fever", "Gravity",
			"Harbor", "Ignite", "Jubilee", "Kaleidoscope", "Lullaby", "Midnight", "Nocturne", "Orbit", "Paradise",
			"Quartz", "Riverside", "Satellite", "Thunder", "Umbrella", "Velvet", "Wildfire", "Xanadu", "Yesterday",
			"Zenith", "Bloom", "Canyon", "Drift", "Ember", "Fjord", "Glow", "Halo", "Island", "Jasmine", "Kite",
			"Lantern", "Meadow", "Neon", "Ocean", "Prism", "Quiet", "Rain", "Shadow", "Tide", "Undertow", "Vapor",
			"Willow", "Yearning", "Zephyr" };

	private static final String[] ARTIST_NAMES = { "The Emulators", "Nora Vale", "Kai Brennan", "Los Pixeles",
			"Mira Sol", "DJ Offset", "Ada & the Limits", "Björn Ström", "Chloé Martin", "Ravi Shah", "Yuki Tanaka",
			"The Paging Objects", "Sofía Ruiz", "Orchestra 50", "Leo Grant", "Hana Kim", "Tomasz Nowak",
			"Electric Refresh", "Amara Obi", "Lucas Meyer", "Nightly Build", "Isla Moreno", "Felix Wagner",
			"Zoë Dubois", "Omar Haddad", "Grace Liu", "Rate Limiters", "Sven Larsen", "Priya Nair", "Mateo Rossi" };

	private TrackGenerator() {
	}

	/**
	 * When generated track {@code number} (counted from the oldest, starting at 1) was
	 * saved; strictly increasing.
	 */
	static Instant addedAt(String userId, int number) {
		int jitter = (int) Math.floorMod(Ids.seed("added:" + userId + ":" + number), 1800L);
		return FIRST_SAVE.plusSeconds(number * 3600L + jitter);
	}

	/**
	 * Generated track {@code number} of the user. Every 97th track lacks an ISRC and
	 * album images, and another 97th lacks an album release date, so that clients meet
	 * missing fields in any large library.
	 */
	static SavedTrack track(String userId, int number) {
		String seed = userId + ":" + number;
		SplittableRandom random = new SplittableRandom(Ids.seed("track:" + seed));
		String id = Ids.base62("track:" + seed);
		String word = WORDS[random.nextInt(WORDS.length)];
		String name = String.format(Locale.ROOT, "Track %04d – %s", number, word);
		int artistCount = 1 + random.nextInt(3);
		List<Artist> artists = new ArrayList<>(artistCount);
		int firstArtist = random.nextInt(ARTIST_NAMES.length);
		for (int i = 0; i < artistCount; i++) {
			artists.add(Artist.named(ARTIST_NAMES[(firstArtist + i * 7) % ARTIST_NAMES.length]));
		}
		boolean missingImagesAndIsrc = number % 97 == 0;
		boolean missingReleaseDate = number % 97 == 50;
		LocalDate released = LocalDate.of(1960, 1, 1).plusDays(random.nextInt(66 * 365));
		String albumName = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
		@Nullable String imageUrl = missingImagesAndIsrc ? null
				: "https://i.scdn.co/image/ab67616d0000b273" + Ids.hex("image:" + seed, 24);
		Album album = new Album(Ids.base62("album:" + seed), albumName, missingReleaseDate ? null : released.toString(),
				imageUrl);
		@Nullable String isrc = missingImagesAndIsrc ? null
				: String.format(Locale.ROOT, "QM%s%02d%05d", Ids.hex("registrant:" + seed, 3).toUpperCase(Locale.ROOT),
						released.getYear() % 100, random.nextInt(100_000));
		int durationMs = 90_000 + random.nextInt(330_000);
		boolean explicit = random.nextInt(6) == 0;
		return new SavedTrack(addedAt(userId, number), id, name, isrc, durationMs, explicit, artists, album, false);
	}

}
