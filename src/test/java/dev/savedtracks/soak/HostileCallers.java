package dev.savedtracks.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.savedtracks.ServiceProcess;

/**
 * The hostile callers of issue 28, after the memory scenario: an anonymous flood of
 * sign-in starts (each a session row in the shared database), and a crash ({@code kill
 * -9}) with answer files on disk followed by a restart. The flood of MCP calls from one
 * key runs during the mixed load instead ({@link McpFlood}).
 */
final class HostileCallers {

	/** Sign-in starts of the anonymous flood. */
	static final int FLOOD = 300;

	/** The longest life a session nobody signed in to may have (the default). */
	static final int PRE_SIGN_IN_SECONDS = 600;

	/** At most this many such sessions per client address (the default). */
	static final int PER_CLIENT = 100;

	private HostileCallers() {
	}

	/**
	 * What an anonymous flood of {@value #FLOOD} sign-in starts from one address left in
	 * {@code spring_session}.
	 */
	record SessionFlood(int requests, int redirected, long anonymousRows, long longLivedAnonymousRows) {

		boolean bounded() {
			return this.longLivedAnonymousRows == 0 && this.anonymousRows <= PER_CLIENT;
		}

	}

	/**
	 * What a {@code kill -9} with answer files on disk left, and what the restarted
	 * replica made of it.
	 */
	record CrashRestart(long filesBefore, long bytesBefore, long leftoverDirectoriesAfter, boolean readyAfter,
			int peopleRead, int peopleServedWhole) {

		boolean clean() {
			return this.leftoverDirectoriesAfter == 0 && this.readyAfter && this.peopleServedWhole == this.peopleRead;
		}

	}

	static SessionFlood floodSessions(String appUrl, String database) throws Exception {
		HttpClient anonymous = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		ExecutorService callers = Executors.newFixedThreadPool(20);
		int redirected = 0;
		try {
			List<Future<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < FLOOD; i++) {
				calls.add(callers.submit(
						() -> anonymous
							.send(HttpRequest.newBuilder(URI.create(appUrl + "/oauth2/authorization/spotify"))
								.timeout(Duration.ofSeconds(30))
								.build(), HttpResponse.BodyHandlers.discarding())
							.statusCode()));
			}
			for (Future<Integer> call : calls) {
				if (call.get() == 302) {
					redirected++;
				}
			}
		}
		finally {
			callers.shutdownNow();
		}
		try (Connection connection = DriverManager.getConnection(database, "sa", "");
				Statement query = connection.createStatement()) {
			return new SessionFlood(FLOOD, redirected,
					count(query, "select count(*) from spring_session where principal_name is null"),
					count(query, "select count(*) from spring_session where principal_name is null"
							+ " and max_inactive_interval > " + PRE_SIGN_IN_SECONDS));
		}
	}

	/**
	 * Kills the replica as {@code kill -9} would, with its answer files on disk, starts
	 * another on the same directory and database, and reads whole libraries again.
	 */
	static CrashRestart crashAndRestart(ServiceProcess running, Path answers, ServiceStarter restart,
			List<Person> people) throws Exception {
		long files = files(answers).count();
		long bytes = files(answers).mapToLong(HostileCallers::size).sum();
		List<Path> before = directories(answers);
		running.kill();
		Thread.sleep(2000);
		try (ServiceProcess again = restart.start()) {
			long leftover = directories(answers).stream().filter(before::contains).count();
			Api api = new Api(again.url(), Duration.ofSeconds(60));
			int whole = 0;
			for (Person person : people) {
				Answer answer = api.get(person.key(), MixedLoad.PATH);
				if (answer.status() == 200) {
					whole++;
				}
			}
			boolean ready = api.get(null, "/readyz").status() == 200;
			return new CrashRestart(files, bytes, leftover, ready, people.size(), whole);
		}
	}

	/** Starts a replica on the same database and answer-file directory. */
	@FunctionalInterface
	interface ServiceStarter {

		ServiceProcess start() throws IOException;

	}

	private static long count(Statement query, String sql) throws SQLException {
		try (ResultSet rows = query.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static Stream<Path> files(Path answers) throws IOException {
		List<Path> all = new ArrayList<>();
		for (Path directory : directories(answers)) {
			try (Stream<Path> children = Files.list(directory)) {
				children.filter(path -> path.getFileName().toString().startsWith("answer-")).forEach(all::add);
			}
		}
		return all.stream();
	}

	private static List<Path> directories(Path answers) throws IOException {
		try (Stream<Path> children = Files.list(answers)) {
			return children.filter(Files::isDirectory).toList();
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
