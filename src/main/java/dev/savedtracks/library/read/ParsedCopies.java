package dev.savedtracks.library.read;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * opens any more).
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

	private record Parsed(String version, List<Track> tracks) {
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
