package dev.savedtracks;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container image's health check, run by the engine as its own short JVM (the image
 * has no curl): exits 0 when the replica's readiness probe answers 200 on the management
 * port ({@code MANAGEMENT_PORT}, default 8081), 1 otherwise. It loads nothing of the
 * application.
 */
public final class HealthProbe {

	private HealthProbe() {
	}

	public static void main(String[] args) {
		String port = System.getenv().getOrDefault("MANAGEMENT_PORT", "8081");
		String path = (args.length > 0) ? args[0] : "/actuator/health/readiness";
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(2000);
			connection.setReadTimeout(2000);
			int status = connection.getResponseCode();
			System.exit((status == 200) ? 0 : 1);
		}
		catch (IOException | IllegalArgumentException ex) {
			System.exit(1);
		}
	}

}
