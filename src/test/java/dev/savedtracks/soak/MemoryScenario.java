package dev.savedtracks.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.savedtracks.emulator.SpotifyEmulator;

/**
 * Issue 12.4: JSON windows of up to 10,000 items (about 5 MB each) are held in memory
 * only within a bound, so a hundred distinct ones asked for at the same instant, by
 * several people, neither exhaust the service's heap nor fail: each is answered from
 * memory, streamed, or refused with 429/503 and {@code Retry-After}. The libraries are
 * synced first (not measured); Spotify is well-behaved here.
 */
final class MemoryScenario {

	private final SoakRunner.Settings settings;

	private final SpotifyEmulator spotify;

	private final String appUrl;

	private final MetricsSampler sampler;

	private final Tally tally;

	MemoryScenario(SoakRunner.Settings settings, SpotifyEmulator spotify, String appUrl, MetricsSampler sampler,
			Tally tally) {
		this.settings = settings;
		this.spotify = spotify;
		this.appUrl = appUrl;
		this.sampler = sampler;
		this.tally = tally;
	}

	Outcome run() throws Exception {
		SoakRunner.Settings s = this.settings;
		int people = s.memoryPeople();
		int perPerson = (s.memoryWindows() + people - 1) / people;
		int size = s.memoryItems() + perPerson - 1;
		Api api = new Api(this.appUrl, Duration.ofMinutes(5));
		long setupStart = System.nanoTime();
		List<Person> persons = new ArrayList<>();
		ExecutorService setup = Executors.newFixedThreadPool(4);
		try {
			List<Future<Person>> signedIn = new ArrayList<>();
			for (int p = 0; p < people; p++) {
				String id = "memory-" + p;
				signedIn.add(setup.submit(() -> SoakRunner.signInAndSync(this.appUrl, api,
						new Person(this.spotify.user(id).generateLibrary(size)), this.tally)));
			}
			for (Future<Person> person : signedIn) {
				persons.add(person.get());
			}
		}
		finally {
			setup.shutdownNow();
		}
		double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
		this.sampler.phase();

		int windows = s.memoryWindows();
		ExecutorService callers = Executors.newFixedThreadPool(windows);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Answer>> answers = new ArrayList<>();
		List<String> requests = new ArrayList<>();
		long start = System.nanoTime();
		try {
			for (int i = 0; i < windows; i++) {
				Person person = persons.get(i % people);
				String query = MixedLoad.PATH + "?offset=" + (i / people) + "&limit=" + s.memoryItems();
				requests.add(query);
				answers.add(callers.submit(() -> {
					go.await();
					return api.get(person.key(), query);
				}));
			}
			go.countDown();
			Map<String, Long> outcomes = new TreeMap<>();
			int fromMemory = 0;
			int streamed = 0;
			int withoutRetryAfter = 0;
			for (int i = 0; i < windows; i++) {
				Person person = persons.get(i % people);
				Answer answer = answers.get(i).get();
				this.tally.answer("memory", answer);
				outcomes.merge(answer.outcome(), 1L, Long::sum);
				if ((answer.status() == 429 || answer.status() == 503) && !answer.retryAfter()) {
					withoutRetryAfter++;
				}
				if (!this.tally.judgeStatus("memory", person, answer, true, "GET " + requests.get(i))) {
					continue;
				}
				int offset = i / people;
				if (person.lag(answer.ids(), answer.total(), offset, s.memoryItems(), answer.start(), answer.end()) < 0
						|| answer.ids().size() != s.memoryItems()) {
					this.tally.fail(Tally.Failure.WRONG_CONTENT, "memory", person, answer,
							"GET " + requests.get(i) + ": " + answer.ids().size() + " items");
				}
				else if (answer.fromMemory()) {
					fromMemory++;
				}
				else {
					streamed++;
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			MetricsSampler.Peaks peaks = this.sampler.phase();
			Answer ready = api.get(null, "/readyz");
			return new Outcome(people, size, setupSeconds, seconds, outcomes, fromMemory, streamed, withoutRetryAfter,
					peaks, ready.status() == 200);
		}
		finally {
			callers.shutdownNow();
		}
	}

	/**
	 * How the windows were answered.
	 *
	 * @param librarySize tracks in each person's library
	 * @param fromMemory 200s written whole from memory (with a Content-Length)
	 * @param streamed 200s streamed from the database
	 * @param withoutRetryAfter 429s and 503s that came without {@code Retry-After}
	 * @param readyAfter whether the service answered {@code /readyz} with 200 right after
	 */
	record Outcome(int people, int librarySize, double setupSeconds, double seconds, Map<String, Long> outcomes,
			int fromMemory, int streamed, int withoutRetryAfter, MetricsSampler.Peaks peaks, boolean readyAfter) {

		long count(int status) {
			return this.outcomes.entrySet()
				.stream()
				.filter(e -> e.getKey().startsWith(status + " ") || e.getKey().equals(Integer.toString(status)))
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

	}

}
