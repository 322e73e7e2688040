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
 * docker-compose.yml and its proxy's configuration against the application's files, in
 * every build, as a plain test (the containers profile starts the stack itself, and the
 * one thing this needs the running application for, the health path's answer,
 * {@link HttpEdgeTest} checks): every variable it gives the app is one the app reads, its
 * ports and health path exist, and the README's configuration table lists every variable
 * the application reads.
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
	void composePortsAndHealthChecksPointAtWhatTheAppServes() throws IOException {
		Map<String, Object> app = service("app");
		Map<String, Object> environment = map(app.get("environment"));
		String proxy = Files.readString(Path.of("src/main/docker/haproxy.cfg"));

		assertThat(list(app.get("expose"))).containsExactlyInAnyOrder(environment.get("PORT"),
				environment.get("MANAGEMENT_PORT"));
		assertThat(proxy).contains("server-template app 8 app:" + environment.get("PORT") + " check port "
				+ environment.get("MANAGEMENT_PORT"));
		Matcher probe = Pattern.compile("option httpchk GET (\\S+)").matcher(proxy);
		assertThat(probe.find()).isTrue();
		// HttpEdgeTest checks that the running application answers this path with UP.
		assertThat(probe.group(1)).isEqualTo(HttpEdgeTest.READINESS_PATH);
		assertThat(map(map(app.get("depends_on")).get("postgres"))).containsEntry("condition", "service_healthy");
		assertThat(map(service("postgres").get("healthcheck"))).containsKey("test");
		assertThat(list(service("proxy").get("ports"))).singleElement().asString().endsWith(":8080");
		assertThat(list(service("proxy").get("volumes")))
			.anyMatch(v -> v.toString().equals("./src/main/docker/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"));
	}

	@Test
	void composeProxyPassesOnTheSchemeOfATlsProxyInFront() throws IOException {
		String proxy = Files.readString(Path.of("src/main/docker/haproxy.cfg"));

		assertThat(proxy).contains("http-request set-header X-Forwarded-Proto http\n")
			.contains("X-Forwarded-Proto %[var(txn.outer_proto)] if { var(txn.outer_proto) -m str https http }")
			.contains("X-Forwarded-Port %[var(txn.outer_port)] if { var(txn.outer_port) -m reg ^[0-9]{1,5}$ }")
			.contains("option forwardfor");
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
