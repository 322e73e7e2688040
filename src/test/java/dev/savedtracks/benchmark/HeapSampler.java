package dev.savedtracks.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the service's used heap from its Prometheus endpoint, keeping the peak. */
final class HeapSampler {

	private final String url;

	private final AtomicLong peak = new AtomicLong();

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

	long stop() throws InterruptedException {
		this.running = false;
		this.thread.join(2000);
		return this.peak.get();
	}

	private void sample() {
		HttpClient client = HttpClient.newHttpClient();
		while (this.running) {
			try {
				String body = client.send(HttpRequest.newBuilder(URI.create(this.url)).build(),
						HttpResponse.BodyHandlers.ofString()).body();
				long used = body.lines()
					.filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
					.mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
					.sum();
				this.peak.accumulateAndGet(used, Math::max);
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

}
