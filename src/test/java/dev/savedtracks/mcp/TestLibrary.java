package dev.savedtracks.mcp;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

/**
 * A {@link Library} for the tool tests, put together per test: whole reads, CSV, status
 * and download links each from a function given, every other read refused. Like the
 * library's door with its parsed copies, it keeps what callers derive from the tracks
 * ({@link Library.Derived}) per person, copy version and kind, and counts how many times
 * it computed such a value.
 */
final class TestLibrary implements Library {

	private final WholeRead wholeRead;

	private CsvWrite csv = (accountId, out) -> {
		throw new UnsupportedOperationException("no CSV in this test");
	};

	private Function<String, Optional<Status>> status = accountId -> Optional.empty();

	private BiFunction<String, String, DownloadLink> downloadLinks = (accountId, format) -> {
		throw new UnsupportedOperationException("no download link in this test");
	};

	private final Map<List<Object>, List<?>> derived = new ConcurrentHashMap<>();

	private final AtomicInteger derivations = new AtomicInteger();

	private TestLibrary(WholeRead wholeRead) {
		this.wholeRead = wholeRead;
	}

	/** A library read whole by {@code wholeRead}. */
	static TestLibrary reading(WholeRead wholeRead) {
		return new TestLibrary(wholeRead);
	}

	/** A library that must not be read whole. */
	static TestLibrary notReadWhole() {
		return new TestLibrary((accountId, visitor) -> {
			throw new UnsupportedOperationException("no whole read in this test");
		});
	}

	TestLibrary csv(CsvWrite csv) {
		this.csv = csv;
		return this;
	}

	TestLibrary status(Function<String, Optional<Status>> status) {
		this.status = status;
		return this;
	}

	TestLibrary downloadLinks(BiFunction<String, String, DownloadLink> downloadLinks) {
		this.downloadLinks = downloadLinks;
		return this;
	}

	/** How many values derived from tracks this library has computed. */
	int derivations() {
		return this.derivations.get();
	}

	@Override
	public Copy each(String accountId, Consumer<Track> visitor) {
		return this.wholeRead.read(accountId, visitor);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> Copy each(String accountId, Derived<T> derived, BiConsumer<Track, T> visitor) {
		List<Track> tracks = new ArrayList<>();
		Copy copy = this.wholeRead.read(accountId, tracks::add);
		Function<Object, List<?>> derive = key -> {
			List<T> values = new ArrayList<>(tracks.size());
			for (Track track : tracks) {
				this.derivations.incrementAndGet();
				values.add(derived.from(track));
			}
			return values;
		};
		// As the door: an unversioned copy keeps nothing.
		List<T> values = (List<T>) (copy.version().isEmpty() ? derive.apply(derived)
				: this.derived.computeIfAbsent(List.of(accountId, copy.version(), derived), derive));
		for (int i = 0; i < tracks.size(); i++) {
			visitor.accept(tracks.get(i), values.get(i));
		}
		return copy;
	}

	@Override
	public Copy csv(String accountId, OutputStream out) throws IOException {
		return this.csv.write(accountId, out);
	}

	@Override
	public DownloadLink downloadLink(String accountId, String format) {
		return this.downloadLinks.apply(accountId, format);
	}

	@Override
	public Optional<Status> status(String accountId) {
		return this.status.apply(accountId);
	}

	@Override
	public Tracks window(String accountId, int offset, int limit) {
		throw new UnsupportedOperationException("no window in this test");
	}

	@Override
	public Optional<Progress> syncProgress(String accountId) {
		return Optional.empty();
	}

	/** Hands every track of a person's library to a visitor, returning its copy. */
	@FunctionalInterface
	interface WholeRead {

		Copy read(String accountId, Consumer<Track> visitor);

	}

	/** Writes a person's library as CSV. */
	@FunctionalInterface
	interface CsvWrite {

		Copy write(String accountId, OutputStream out) throws IOException;

	}

}
