package dev.savedtracks.library.read;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;
import dev.savedtracks.system.InvalidConfiguration;

/**
 * The parsed tracks of the libraries read whole most recently ({@link LibraryDoor#each},
 * which the MCP search and statistics call on every call), kept per person for the one
 * copy version they were read from, so that the next whole read of that version neither
 * queries the database nor parses JSON. A new version replaces them (the version changes
 * with every change of the copy, on any replica), "delete my data" drops them, and the
 * least recently used go first once {@code LIBRARY_PARSED_TRACKS} tracks are held: memory
 * stays bounded whatever the number of people. Tracks unread for {@value #IDLE_MINUTES}
 * minutes go too, so that a person's tracks do not stay in the memory of the replicas
 * that did not handle their "delete my data" (they could not be served there: no copy
 * opens any more). What callers derive from each track ({@link Library.Derived}, such as
 * the MCP search's folded text) is kept with the tracks, computed once per version and
 * gone with them: it is not weighed apart, so each kept track costs the more.
 */
@Component
class ParsedCopies {

	static final int IDLE_MINUTES = 30;

	private final @Nullable Cache<String, Parsed> kept;

	private final int maxTracks;

	@Autowired
	ParsedCopies(Settings settings) {
		this(settings, Ticker.systemTicker());
	}

	ParsedCopies(Settings settings, Ticker ticker) {
		this.maxTracks = settings.maxTracks();
		this.kept = (this.maxTracks > 0) ? Caffeine.newBuilder()
			.maximumWeight(this.maxTracks)
			.weigher((String account, Parsed parsed) -> Math.max(1, parsed.tracks().size()))
			.expireAfterAccess(Duration.ofMinutes(IDLE_MINUTES))
			.ticker(ticker)
			.build() : null;
	}

	/**
	 * Hands every track of {@code accountId}'s copy {@code version} to {@code visitor}:
	 * from memory when that version is kept, otherwise from {@code source}, keeping them
	 * when {@code total} fits.
	 */
	void each(String accountId, String version, int total, Consumer<Track> visitor, Source source) {
		Parsed parsed = (this.kept != null) ? this.kept.getIfPresent(accountId) : null;
		if (parsed != null && parsed.version().equals(version)) {
			parsed.tracks().forEach(visitor);
			return;
		}
		if (this.kept == null || version.isEmpty() || total > this.maxTracks) {
			source.read(visitor);
			return;
		}
		List<Track> tracks = new ArrayList<>(total);
		source.read(track -> {
			tracks.add(track);
			visitor.accept(track);
		});
		this.kept.put(accountId, new Parsed(version, List.copyOf(tracks)));
	}

	/**
	 * Hands every track of {@code accountId}'s copy {@code version} to {@code visitor}
	 * with what {@code derived} computes from it, as
	 * {@link #each(String, String, int, Consumer, Source)} reads them: when the tracks
	 * are kept, the values are kept with them, computed once per version and kind.
	 */
	<T> void each(String accountId, String version, int total, Library.Derived<T> derived, BiConsumer<Track, T> visitor,
			Source source) {
		Parsed parsed = (this.kept != null) ? this.kept.getIfPresent(accountId) : null;
		if (parsed != null && parsed.version().equals(version)) {
			List<T> values = parsed.values(derived);
			for (int i = 0; i < values.size(); i++) {
				visitor.accept(parsed.tracks().get(i), values.get(i));
			}
			return;
		}
		if (this.kept == null || version.isEmpty() || total > this.maxTracks) {
			source.read(track -> visitor.accept(track, derived.from(track)));
			return;
		}
		List<Track> tracks = new ArrayList<>(total);
		List<T> values = new ArrayList<>(total);
		source.read(track -> {
			T value = derived.from(track);
			tracks.add(track);
			values.add(value);
			visitor.accept(track, value);
		});
		Parsed read = new Parsed(version, List.copyOf(tracks));
		read.derived().put(derived, values);
		this.kept.put(accountId, read);
	}

	/** Drops a person's tracks as soon as their data is deleted. */
	@TransactionalEventListener(fallbackExecution = true)
	void forget(AccountDirectory.AccountDeleted deleted) {
		if (this.kept != null) {
			this.kept.invalidate(deleted.accountId());
		}
	}

	/** Reads every track of the copy from the store, in order. */
	@FunctionalInterface
	interface Source {

		void read(Consumer<Track> visitor);

	}

	/**
	 * The tracks of one version, and the values derived from them so far, each list in
	 * the tracks' order (never changed once in the map).
	 */
	private record Parsed(String version, List<Track> tracks, Map<Library.Derived<?>, List<?>> derived) {

		Parsed(String version, List<Track> tracks) {
			this(version, tracks, new ConcurrentHashMap<>());
		}

		/**
		 * The values of {@code derived}, computed on the first call for this version;
		 * concurrent first calls wait for one computation.
		 */
		@SuppressWarnings("unchecked")
		<T> List<T> values(Library.Derived<T> derived) {
			return (List<T>) this.derived.computeIfAbsent(derived, kind -> {
				List<T> values = new ArrayList<>(this.tracks.size());
				for (Track track : this.tracks) {
					values.add(derived.from(track));
				}
				return values;
			});
		}

	}

	/**
	 * @param maxTracks parsed tracks one replica keeps in memory for whole-library reads
	 * ({@code LIBRARY_PARSED_TRACKS}; 0 turns the cache off)
	 */
	@ConfigurationProperties("library.parsed-copies")
	record Settings(@DefaultValue("20000") int maxTracks) {

		Settings {
			if (maxTracks < 0) {
				throw new InvalidConfiguration("LIBRARY_PARSED_TRACKS must not be negative, was " + maxTracks,
						"Use a number of tracks such as 20000, or 0 to parse every whole-library read anew.");
			}
		}

	}

}
