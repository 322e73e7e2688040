package dev.savedtracks.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the service's used heap and its GC pauses from its Prometheus endpoint, keeping
 * the peaks.
 */
final class HeapSampler {

	private final String url;

	private final AtomicLong peak = new AtomicLong();

	private final AtomicLong longestPauseMicros = new AtomicLong();

	private final AtomicLong liveAfterGc = new AtomicLong();

	private volatile boolean running = true;

	private final Thread thread;

	HeapSampler(String url) {
		this.url = url;
		this.thread = new Thread(this::sample, "heap-sampler");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	Peaks stop() throws InterruptedException {
		this.running = false;
		this.thread.join(2000);
		return new Peaks(this.peak.get(), this.longestPauseMicros.get() / 1000.0, this.liveAfterGc.get());
	}

	private void sample() {
		HttpClient client = HttpClient.newHttpClient();
		while (this.running) {
			try {
				String body = client
					.send(HttpRequest.newBuilder(URI.create(this.url)).build(), HttpResponse.BodyHandlers.ofString())
					.body();
				long used = body.lines()
					.filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
					.mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
					.sum();
				this.peak.accumulateAndGet(used, Math::max);
				body.lines()
					.filter(l -> l.startsWith("jvm_gc_live_data_size_bytes"))
					.mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
					.forEach(bytes -> this.liveAfterGc.accumulateAndGet(bytes, Math::max));
				body.lines()
					.filter(l -> l.startsWith("jvm_gc_pause_seconds_max{"))
					.mapToLong(l -> (long) (Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1e6))
					.forEach(micros -> this.longestPauseMicros.accumulateAndGet(micros, Math::max));
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				// The service may be busy; the next sample will do.
			}
		}
	}

	/**
	 * The most heap in use at any sample, the longest GC pause the service reported, and
	 * the most long-lived data left after a collection ({@code jvm.gc.live.data.size}).
	 */
	record Peaks(long heapBytes, double longestGcPauseMillis, long liveBytesAfterGc) {
	}

}
