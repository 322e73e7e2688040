package dev.savedtracks.library.read;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.library.Library;
import dev.savedtracks.library.Track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParsedCopiesTest {

	private final AtomicInteger storeReads = new AtomicInteger();

	private final List<Track> library = List.of(track("a"), track("b"), track("c"));

	private final AtomicInteger derivations = new AtomicInteger();

	private final Library.Derived<String> idAndName = track -> {
		this.derivations.incrementAndGet();
		return track.id() + ":" + track.name();
	};

	@Test
	void secondWholeReadOfTheSameVersionDoesNotReadTheStore() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));

		List<Track> first = read(copies, "alice", "1.1.0");
		List<Track> second = read(copies, "alice", "1.1.0");

		assertThat(this.storeReads).hasValue(1);
		assertThat(second).isEqualTo(first).isEqualTo(this.library);
	}

	@Test
	void newVersionIsReadFromTheStore() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));
		read(copies, "alice", "1.1.0");

		read(copies, "alice", "1.2.0");
		read(copies, "alice", "1.2.0");

		assertThat(this.storeReads).hasValue(2);
	}

	@Test
	void peopleDoNotShareTheirTracks() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));
		read(copies, "alice", "1.1.0");

		read(copies, "bob", "1.1.0");

		assertThat(this.storeReads).hasValue(2);
	}

	@Test
	void deletingThePersonsDataDropsTheirTracks() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));
		read(copies, "alice", "1.1.0");

		copies.forget(new AccountDirectory.AccountDeleted("alice"));
		read(copies, "alice", "1.1.0");

		assertThat(this.storeReads).hasValue(2);
	}

	@Test
	void tracksUnreadForHalfAnHourAreDropped() {
		AtomicLong nanos = new AtomicLong();
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100), nanos::get);
		read(copies, "alice", "1.1.0");
		nanos.addAndGet(Duration.ofMinutes(29).toNanos());
		read(copies, "alice", "1.1.0");

		nanos.addAndGet(Duration.ofMinutes(ParsedCopies.IDLE_MINUTES).toNanos());
		read(copies, "alice", "1.1.0");

		assertThat(this.storeReads).hasValue(2);
	}

	@Test
	void libraryLargerThanTheLimitIsReadFromTheStoreEveryTime() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(2));

		read(copies, "alice", "1.1.0");
		List<Track> second = read(copies, "alice", "1.1.0");

		assertThat(this.storeReads).hasValue(2);
		assertThat(second).isEqualTo(this.library);
	}

	@Test
	void zeroTurnsTheCacheOff() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(0));

		read(copies, "alice", "1.1.0");
		read(copies, "alice", "1.1.0");

		assertThat(this.storeReads).hasValue(2);
	}

	@Test
	void readThatFailsHalfwayKeepsNothing() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));
		assertThatThrownBy(() -> copies.each("alice", "1.1.0", 3, track -> {
		}, visitor -> {
			this.storeReads.incrementAndGet();
			visitor.accept(this.library.get(0));
			throw new IllegalStateException("connection lost");
		})).isInstanceOf(IllegalStateException.class);

		List<Track> again = read(copies, "alice", "1.1.0");

		assertThat(this.storeReads).hasValue(2);
		assertThat(again).isEqualTo(this.library);
	}

	@Test
	void whatCallersDeriveFromTheTracksIsComputedOncePerVersion() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));

		List<String> first = readDerived(copies, "alice", "1.1.0");
		List<String> second = readDerived(copies, "alice", "1.1.0");
		read(copies, "alice", "1.1.0");

		assertThat(this.derivations).as("once per track of the version").hasValue(3);
		assertThat(this.storeReads).hasValue(1);
		assertThat(second).isEqualTo(first).containsExactly("a=a:Track a", "b=b:Track b", "c=c:Track c");
	}

	@Test
	void derivedValuesOfTracksAlreadyKeptAreComputedOnTheirFirstUse() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));
		read(copies, "alice", "1.1.0");

		readDerived(copies, "alice", "1.1.0");
		List<String> again = readDerived(copies, "alice", "1.1.0");

		assertThat(this.derivations).hasValue(3);
		assertThat(this.storeReads).hasValue(1);
		assertThat(again).containsExactly("a=a:Track a", "b=b:Track b", "c=c:Track c");
	}

	@Test
	void aNewVersionDerivesItsValuesAnew() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(100));
		readDerived(copies, "alice", "1.1.0");

		readDerived(copies, "alice", "1.2.0");
		readDerived(copies, "alice", "1.2.0");

		assertThat(this.derivations).hasValue(6);
	}

	@Test
	void derivedValuesAreComputedOnEveryReadWhenTheTracksAreNotKept() {
		ParsedCopies copies = new ParsedCopies(new ParsedCopies.Settings(0));

		readDerived(copies, "alice", "1.1.0");
		List<String> second = readDerived(copies, "alice", "1.1.0");

		assertThat(this.derivations).hasValue(6);
		assertThat(second).containsExactly("a=a:Track a", "b=b:Track b", "c=c:Track c");
	}

	private List<String> readDerived(ParsedCopies copies, String account, String version) {
		List<String> seen = new ArrayList<>();
		copies.each(account, version, this.library.size(), this.idAndName,
				(track, derived) -> seen.add(track.id() + "=" + derived), this::fromStore);
		return seen;
	}

	private List<Track> read(ParsedCopies copies, String account, String version) {
		List<Track> seen = new ArrayList<>();
		copies.each(account, version, this.library.size(), seen::add, this::fromStore);
		return seen;
	}

	private void fromStore(Consumer<Track> visitor) {
		this.storeReads.incrementAndGet();
		this.library.forEach(visitor);
	}

	private static Track track(String id) {
		return new Track(id, "Track " + id, "spotify:track:" + id, "2024-05-01T10:00:00Z", 1000, false, 1, 1, null,
				List.of(), null, false);
	}

}
