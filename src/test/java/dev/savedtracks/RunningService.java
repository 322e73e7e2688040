package dev.savedtracks;

/**
 * The service, running, as a benchmark or a load test reaches it: over HTTP at
 * {@link #url()}, in a JVM of its own ({@link ServiceProcess}) or in this one
 * ({@link InProcessService}).
 */
public interface RunningService extends AutoCloseable {

	/** Where it listens, for example {@code http://127.0.0.1:8080}. */
	String url();

	@Override
	void close() throws InterruptedException;

}
