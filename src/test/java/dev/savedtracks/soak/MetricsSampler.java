package dev.savedtracks.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the service's Prometheus endpoint every 100 ms and keeps, per phase of the run,
 * the peaks: heap in use (garbage not yet collected included), database connections in
 * use and callers waiting for one, and the longest GC pause.
 */
final class MetricsSampler {

	private static final List<String> COUNTERS = List.of("library_sync_seconds_count", "library_sync_seconds_sum",
			"library_cache_total", "spotify_requests_total");

	private static final Pattern LABEL = Pattern.compile("(outcome|result)=\"([^\"]*)\"");

	private final String url;

	private final Thread thread;

	private final AtomicLong heap = new AtomicLong();

	private final AtomicLong connections = new AtomicLong();

	private final AtomicLong pending = new AtomicLong();

	private final AtomicLong pauseMicros = new AtomicLong();

	private final AtomicLong samples = new AtomicLong();

	private final AtomicLong syncs = new AtomicLong();

	private final AtomicLong readinessSamples = new AtomicLong();

	private final AtomicLong notReady = new AtomicLong();

	private volatile long maxConnections;

	private volatile long maxHeap;

	private volatile boolean running = true;

	MetricsSampler(String url) {
		this.url = url;
		this.thread = new Thread(this::sample, "soak-metrics");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** The peaks since the previous call (or the start), starting a new phase. */
	Peaks phase() {
		return new Peaks(this.heap.getAndSet(0), this.maxHeap, this.connections.getAndSet(0), this.pending.getAndSet(0),
				this.maxConnections, this.syncs.getAndSet(0), this.pauseMicros.getAndSet(0) / 1000.0,
				this.samples.getAndSet(0), this.readinessSamples.getAndSet(0), this.notReady.getAndSet(0));
	}

	void stop() throws InterruptedException {
		this.running = false;
		this.thread.join(2000);
	}

	private void sample() {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.url)).timeout(Duration.ofSeconds(5)).build();
		HttpRequest readiness = HttpRequest.newBuilder(URI.create(this.url.replace("/prometheus", "/health/readiness")))
			.timeout(Duration.ofSeconds(2))
			.build();
		long round = 0;
		while (this.running) {
			try {
				if (round++ % 5 == 0) {
					probe(client, readiness);
				}
				String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
				long used = 0;
				long max = 0;
				for (String line : body.split("\n")) {
					if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
						used += (long) value(line);
					}
					else if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
						max += Math.max(0, (long) value(line));
					}
					else if (line.startsWith("hikaricp_connections_active{")) {
						this.connections.accumulateAndGet((long) value(line), Math::max);
					}
					else if (line.startsWith("hikaricp_connections_pending{")) {
						this.pending.accumulateAndGet((long) value(line), Math::max);
					}
					else if (line.startsWith("hikaricp_connections_max{")) {
						this.maxConnections = (long) value(line);
					}
					else if (line.startsWith("library_syncs_active{")) {
						this.syncs.accumulateAndGet((long) value(line), Math::max);
					}
					else if (line.startsWith("jvm_gc_pause_seconds_max{")) {
						this.pauseMicros.accumulateAndGet((long) (value(line) * 1e6), Math::max);
					}
				}
				this.heap.accumulateAndGet(used, Math::max);
				this.maxHeap = max;
				this.samples.incrementAndGet();
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				// The service may be too busy to answer in time; the next sample will do.
			}
		}
	}

	/**
	 * Probes readiness as an orchestrator would (which takes a replica out of service
	 * while it is not ready): an answer other than 200, or none within 2 s, counts as not
	 * ready.
	 */
	private void probe(HttpClient client, HttpRequest readiness) throws InterruptedException {
		this.readinessSamples.incrementAndGet();
		try {
			if (client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
				this.notReady.incrementAndGet();
			}
		}
		catch (IOException ex) {
			this.notReady.incrementAndGet();
		}
	}

	/**
	 * The service's counters of syncs, cache results and Spotify requests now, by name
	 * and labels (for example {@code library_sync_seconds_count outcome=full}); subtract
	 * two of them for a phase.
	 */
	Map<String, Double> counters() {
		Map<String, Double> counters = new TreeMap<>();
		try {
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			String body = client
				.send(HttpRequest.newBuilder(URI.create(this.url)).timeout(Duration.ofSeconds(10)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			for (String line : body.split("\n")) {
				for (String name : COUNTERS) {
					if (line.startsWith(name + "{")) {
						Matcher label = LABEL.matcher(line);
						String labels = label.find() ? label.group(1) + "=" + label.group(2) : "";
						counters.merge(name + " " + labels, value(line), Double::sum);
					}
				}
			}
		}
		catch (IOException ex) {
			// Reported as missing.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return counters;
	}

	private static double value(String line) {
		return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
	}

	/**
	 * The peaks of one phase.
	 *
	 * @param maxHeapBytes the heap limit as the JVM reports it
	 * @param maxConnections the pool's size
	 * @param syncs library syncs running or queued at once
	 * @param readinessSamples readiness probes sent (every 500 ms)
	 * @param notReady readiness probes answered other than 200 or not within 2 s
	 */
	record Peaks(long heapBytes, long maxHeapBytes, long connections, long pendingConnections, long maxConnections,
			long syncs, double longestGcPauseMillis, long samples, long readinessSamples, long notReady) {
	}

}
