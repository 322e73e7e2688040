package dev.savedtracks.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * What the emulator has been asked, for assertions on how economically a client talks to
 * Spotify.
 */
public final class Counters {

	private final AtomicInteger tracksRequests = new AtomicInteger();

	private final AtomicInteger meRequests = new AtomicInteger();

	private final AtomicInteger authorizeRequests = new AtomicInteger();

	private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();

	private final AtomicInteger tracksInFlight = new AtomicInteger();

	private final AtomicInteger maxConcurrentTracksRequests = new AtomicInteger();

	private final Map<String, AtomicInteger> tracksRequestsByUser = new ConcurrentHashMap<>();

	private final AtomicInteger rateLimitedRequests = new AtomicInteger();

	/** Slots in arrival order; a slot is filled when its request is answered. */
	private final List<Slot> tracksLog = new ArrayList<>();

	Counters() {
	}

	/** Every {@code GET /v1/me/tracks}, faulted and failed ones included. */
	public int tracksRequests() {
		return this.tracksRequests.get();
	}

	/**
	 * Every {@code GET /v1/me/tracks} with a bearer token the emulator issued to this
	 * user, faulted, failed and expired ones included: how many requests each user cost,
	 * for fairness tests.
	 */
	public int tracksRequests(String userId) {
		AtomicInteger count = this.tracksRequestsByUser.get(userId);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Web API requests (any endpoint) refused with 429 by the app-wide rolling-window
	 * limit.
	 */
	public int rateLimitedRequests() {
		return this.rateLimitedRequests.get();
	}

	/** Every {@code GET /v1/me}. */
	public int meRequests() {
		return this.meRequests.get();
	}

	/** Token endpoint calls with this grant_type ("" for none), failed ones included. */
	public int tokenRequests(String grantType) {
		AtomicInteger count = this.tokenRequests.get(grantType);
		return (count != null) ? count.get() : 0;
	}

	/** Every {@code GET /authorize}, i.e. every time a browser was sent to sign in. */
	public int authorizeRequests() {
		return this.authorizeRequests.get();
	}

	/**
	 * The most tracks requests ever in flight at once, counting from arrival (before
	 * latency) to the answer.
	 */
	public int maxConcurrentTracksRequests() {
		return this.maxConcurrentTracksRequests.get();
	}

	/**
	 * The most tracks requests of {@code userId} in flight at once, from arrival to the
	 * end of the handler, among those logged since the last {@link #reset()}. Unlike
	 * {@link #maxConcurrentTracksRequests()}, requests of other people, among them those
	 * that an earlier test left waiting in injected latency, do not count.
	 */
	public int maxConcurrentTracksRequests(String userId) {
		List<Instant[]> spans = new ArrayList<>();
		synchronized (this.tracksLog) {
			for (Slot slot : this.tracksLog) {
				if (userId.equals(slot.userId)) {
					Instant left = slot.leftAt;
					spans.add(new Instant[] { slot.receivedAt, (left != null) ? left : Instant.MAX });
				}
			}
		}
		int most = 0;
		for (Instant[] span : spans) {
			// Those in flight when this one arrived, itself included.
			int inFlight = 0;
			for (Instant[] other : spans) {
				if (!other[0].isAfter(span[0]) && other[1].isAfter(span[0])) {
					inFlight++;
				}
			}
			most = Math.max(most, inFlight);
		}
		return most;
	}

	/** The answered tracks requests, in arrival order. */
	public List<RequestRecord> tracksRequestLog() {
		List<RequestRecord> records = new ArrayList<>();
		synchronized (this.tracksLog) {
			for (Slot slot : this.tracksLog) {
				RequestRecord record = slot.record;
				if (record != null) {
					records.add(new RequestRecord(record.receivedAt(), record.offset(), record.limit(), record.status(),
							record.userId(), slot.leftAt));
				}
			}
		}
		return List.copyOf(records);
	}

	/**
	 * Zeroes every counter and empties the log; requests in flight are no longer logged.
	 */
	public void reset() {
		this.tracksRequests.set(0);
		this.meRequests.set(0);
		this.authorizeRequests.set(0);
		this.tokenRequests.clear();
		this.maxConcurrentTracksRequests.set(0);
		this.tracksRequestsByUser.clear();
		this.rateLimitedRequests.set(0);
		synchronized (this.tracksLog) {
			this.tracksLog.clear();
		}
	}

	void meRequest() {
		this.meRequests.incrementAndGet();
	}

	void authorizeRequest() {
		this.authorizeRequests.incrementAndGet();
	}

	void tokenRequest(String grantType) {
		this.tokenRequests.computeIfAbsent(grantType, (key) -> new AtomicInteger()).incrementAndGet();
	}

	void rateLimited() {
		this.rateLimitedRequests.incrementAndGet();
	}

	/**
	 * Counts a tracks request of the user (null if unknown) as arrived and in flight;
	 * answer the slot when done.
	 */
	Slot tracksRequestArrived(@Nullable String userId) {
		this.tracksRequests.incrementAndGet();
		if (userId != null) {
			this.tracksRequestsByUser.computeIfAbsent(userId, (key) -> new AtomicInteger()).incrementAndGet();
		}
		int inFlight = this.tracksInFlight.incrementAndGet();
		this.maxConcurrentTracksRequests.accumulateAndGet(inFlight, Math::max);
		Slot slot = new Slot(Instant.now(), userId);
		synchronized (this.tracksLog) {
			this.tracksLog.add(slot);
		}
		return slot;
	}

	void tracksRequestAnswered(Slot slot, int offset, int limit, int status) {
		slot.record = new RequestRecord(slot.receivedAt, offset, limit, status, slot.userId);
	}

	/** Called when the request's handler is done, answered or not. */
	private void tracksRequestLeft() {
		this.tracksInFlight.decrementAndGet();
	}

	/** Called when the request's handler is done, its answer written or not. */
	void tracksRequestLeft(Slot slot) {
		slot.leftAt = Instant.now();
		tracksRequestLeft();
	}

	/**
	 * A place in the log reserved at arrival, so the log keeps arrival order although
	 * answers finish in any order.
	 */
	static final class Slot {

		private final Instant receivedAt;

		private final @Nullable String userId;

		private volatile @Nullable RequestRecord record;

		private volatile @Nullable Instant leftAt;

		Slot(Instant receivedAt, @Nullable String userId) {
			this.receivedAt = receivedAt;
			this.userId = userId;
		}

	}

}
