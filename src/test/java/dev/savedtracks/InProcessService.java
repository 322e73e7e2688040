package dev.savedtracks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service started inside this JVM, with the given properties as its command line: a
 * second replica beside a test's own, or a smoke run's service. A warm JVM starts one in
 * about 3 CPU-seconds, where a JVM of its own ({@link ServiceProcess}) takes about 10;
 * its heap, JIT and collector are this JVM's, so its memory figures are not the
 * service's.
 */
public final class InProcessService implements RunningService {

	private final ConfigurableApplicationContext context;

	private InProcessService(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts the service; {@code server.port} and {@code management.server.port} default
	 * to any free port. Logging settings are dropped (they would reconfigure this JVM's
	 * logging), and Reactor Netty shuts down without its quiet period.
	 */
	public static InProcessService start(Map<String, ?> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.keySet().removeIf((key) -> key.startsWith("logging."));
		all.putIfAbsent("server.port", 0);
		all.putIfAbsent("management.server.port", 0);
		all.putIfAbsent("spring.reactor.netty.shutdown-quiet-period", "0s");
		String[] arguments = all.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new InProcessService(new SpringApplicationBuilder(SavedTracksApplication.class).run(arguments));
	}

	@Override
	public String url() {
		return "http://127.0.0.1:" + ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** The service's bean of {@code type}, for measuring one part of it alone. */
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
