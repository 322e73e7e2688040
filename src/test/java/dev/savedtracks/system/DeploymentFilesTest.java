package dev.savedtracks.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so it is checked against
 * the application's files instead (a plain test: the one thing it needs the running
 * application for, the health check's answer, {@link HttpEdgeTest} checks): every
 * variable it gives the app is one the app reads, its ports and health path exist, and
 * the README's configuration table lists every variable the application reads.
 */
class DeploymentFilesTest {

	/**
	 * Read by Spring Boot itself (profiles) or by the image's health checker, not through
	 * application.yml.
	 */
	private static final Set<String> READ_OUTSIDE_APPLICATION_YML = Set.of("SPRING_PROFILES_ACTIVE",
			"LOGGING_STRUCTURED_FORMAT_CONSOLE", "THC_PORT", "THC_PATH");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

	@Test
	void composeGivesTheAppOnlyVariablesItReads() throws IOException {
		Map<String, Object> app = service("app");
		Map<String, Object> environment = map(app.get("environment"));

		Set<String> known = new TreeSet<>(applicationVariables());
		known.addAll(READ_OUTSIDE_APPLICATION_YML);

		assertThat(environment.keySet()).isSubsetOf(known);
		assertThat(environment).containsKeys("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET", "TOKEN_ENCRYPTION_KEY",
				"SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
		assertThat(environment.get("SPRING_PROFILES_ACTIVE")).isEqualTo("postgres");
		assertThat(Path.of("src/main/resources/application-postgres.yml")).exists();
	}

	@Test
	void composePortsAndHealthCheckPointAtWhatTheAppServes() throws IOException {
		Map<String, Object> app = service("app");
		Map<String, Object> environment = map(app.get("environment"));

		assertThat(list(app.get("expose"))).containsExactlyInAnyOrder(environment.get("PORT"),
				environment.get("MANAGEMENT_PORT"));
		assertThat(environment.get("THC_PORT")).isEqualTo(environment.get("MANAGEMENT_PORT"));
		// HttpEdgeTest checks that the running application answers this path with UP.
		assertThat(environment.get("THC_PATH")).isEqualTo(HttpEdgeTest.READINESS_PATH);
		assertThat(list(map(app.get("healthcheck")).get("test"))).contains("/workspace/health-check");
		assertThat(map(map(app.get("depends_on")).get("postgres"))).containsEntry("condition", "service_healthy");
		assertThat(map(service("postgres").get("healthcheck"))).containsKey("test");
		assertThat(list(service("proxy").get("ports"))).anyMatch(p -> p.toString().endsWith(":8080"));
		assertThat(compose().get("configs").toString()).contains("proxy_pass http://app")
			.contains("server app:" + environment.get("PORT"));
	}

	@Test
	void composeProxyPassesOnTheSchemeOfATlsProxyInFront() throws IOException {
		String proxy = compose().get("configs").toString();

		// Compose turns $$ into $: nginx sees $http_x_forwarded_proto and so on.
		assertThat(proxy).contains("map $$http_x_forwarded_proto $$forwarded_proto {")
			.contains("default $$scheme;")
			.contains("https https;")
			.contains("proxy_set_header X-Forwarded-Proto $$forwarded_proto;")
			.contains("proxy_set_header X-Forwarded-Port $$forwarded_port;")
			.doesNotContain("X-Forwarded-Proto $$scheme");
		assertThat(map(service("app").get("environment"))).containsEntry("FORWARD_HEADERS_STRATEGY", "native")
			.containsKey("SESSION_COOKIE_SECURE");
	}

	@Test
	void readmeConfigurationTableListsEveryVariableTheApplicationReads() throws IOException {
		String readme = Files.readString(Path.of("README.md"));

		assertThat(applicationVariables()).allSatisfy(variable -> assertThat(readme).contains("| `" + variable + "`"));
	}

	private static Set<String> applicationVariables() throws IOException {
		Set<String> variables = new TreeSet<>();
		for (String file : List.of("application.yml", "application-postgres.yml")) {
			Matcher matcher = PLACEHOLDER.matcher(Files.readString(Path.of("src/main/resources", file)));
			while (matcher.find()) {
				variables.add(matcher.group(1));
			}
		}
		return variables;
	}

	private static Map<String, Object> service(String name) throws IOException {
		return map(map(compose().get("services")).get(name));
	}

	private static Map<String, Object> compose() throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
			return new Yaml().load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (List<Object>) value;
	}

}
