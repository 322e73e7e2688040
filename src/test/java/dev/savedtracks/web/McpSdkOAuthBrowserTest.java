package dev.savedtracks.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole OAuth flow as an AI app runs it, with the official MCP TypeScript SDK's
 * client OAuth support ({@code src/test/node/mcp-oauth-agent}, installed with
 * {@code npm ci}) and a person in Chromium: the agent is refused at {@code /mcp},
 * discovers this server, registers dynamically, sends the person to authorize (PKCE S256,
 * {@code resource}); the person signs in with Spotify on the emulator's page and allows
 * the app on ours (checked with axe-core in light and dark mode); the agent gets tokens,
 * calls a tool, refreshes (a new refresh token), and revokes. Skipped without Node.js,
 * except under {@code CI=true}.
 */
class McpSdkOAuthBrowserTest extends EmulatedSpotifyTest {

	private static final Path SOURCE = Path.of("src", "test", "node", "mcp-oauth-agent");

	private static final Path INSTALLED = Path.of("target", "mcp-oauth-agent");

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

	@Test
	void anSdkAgentConnectsThroughSignInAndConsentRefreshesAndRevokes() throws Exception {
		Path agent = installedAgent();
		EmulatedUser user = newUser(21);
		Process node = new ProcessBuilder("node", agent.resolve("agent.mjs").toString(), appUrl() + "/mcp")
			.redirectErrorStream(true)
			.start();
		BlockingQueue<String> lines = lines(node);
		try {
			String authorize = next(lines, "AUTHORIZE ");
			assertThat(authorize).contains("code_challenge_method=S256")
				.contains("resource=" + java.net.URLEncoder.encode(appUrl() + "/mcp", StandardCharsets.UTF_8));

			this.chromium.browser().get(authorize);
			this.chromium.browser().findElement(By.id("username")).sendKeys(user.id());
			this.chromium.browser().findElement(By.cssSelector("button[value=accept]")).click();
			this.chromium.waitForElement("#allow");
			assertThat(this.chromium.text("client-name")).isEqualTo("SDK test agent");
			assertThat(this.chromium.text("client-from")).isEqualTo("127.0.0.1");
			this.chromium.screenshot("mcp-consent");
			Axe consentPage = Axe.check(this.chromium.browser());
			this.chromium.prefersColorScheme("dark");
			this.chromium.screenshot("mcp-consent-dark");
			Axe consentPageDark = Axe.check(this.chromium.browser());
			this.chromium.browser().findElement(By.id("allow")).click();
			this.chromium.waitForElement("#done");

			JsonNode result = json.readTree(next(lines, "RESULT "));
			assertThat(consentPage.violations()).as("light").isEmpty();
			assertThat(consentPage.passedRules()).isPositive();
			assertThat(consentPageDark.violations()).as("dark").isEmpty();
			assertThat(result.get("state").asString()).isEqualTo("sdk-state");
			assertThat(result.get("tools").valueStream().map(JsonNode::asString)).contains("library_stats");
			assertThat(result.get("total").asInt()).isEqualTo(21);
			assertThat(result.get("refreshOutcome").asString()).isEqualTo("AUTHORIZED");
			assertThat(result.get("secondRefreshToken").asString()).startsWith("str_")
				.isNotEqualTo(result.get("firstRefreshToken").asString());
			assertThat(result.get("totalAfterRefresh").asInt()).isEqualTo(21);
			assertThat(result.get("revocationStatus").asInt()).isEqualTo(200);
			assertThat(result.get("statusAfterRevocation").asInt()).isEqualTo(401);
			assertThat(this.jdbc.sql("select count(*) from oauth2_authorization_consent where principal_name = ?")
				.param(user.id())
				.query(Integer.class)
				.single()).as("the consent is remembered").isEqualTo(1);
		}
		finally {
			node.destroyForcibly();
		}
	}

	/**
	 * The agent with its locked dependencies, installed once per build under
	 * {@code target}.
	 */
	private static Path installedAgent() throws IOException, InterruptedException {
		if (!commandWorks("node", "--version")) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException("Node.js (node, npm) is needed for the MCP SDK agent");
			}
			Assumptions.abort("Node.js is not installed");
		}
		synchronized (McpSdkOAuthBrowserTest.class) {
			Files.createDirectories(INSTALLED);
			for (String file : List.of("package.json", "package-lock.json", "agent.mjs")) {
				Files.copy(SOURCE.resolve(file), INSTALLED.resolve(file),
						java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
			if (!Files.isDirectory(INSTALLED.resolve("node_modules/@modelcontextprotocol/sdk"))) {
				Process install = new ProcessBuilder("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund")
					.directory(INSTALLED.toFile())
					.redirectErrorStream(true)
					.start();
				String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
				assertThat(install.exitValue()).as(output).isZero();
			}
		}
		return INSTALLED;
	}

	private static boolean commandWorks(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static BlockingQueue<String> lines(Process process) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				// The process ended.
			}
		}, "mcp-oauth-agent-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	/** The rest of the next line that starts with {@code prefix}; FAILED lines fail. */
	private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		StringBuilder seen = new StringBuilder();
		while (System.nanoTime() < deadline) {
			String line = lines.poll(1, TimeUnit.SECONDS);
			if (line == null) {
				continue;
			}
			seen.append(line).append('\n');
			assertThat(line).as("agent output").doesNotStartWith("FAILED");
			if (line.startsWith(prefix)) {
				return line.substring(prefix.length());
			}
		}
		throw new AssertionError("no " + prefix.strip() + " line from the agent within 60 s; it said:\n" + seen);
	}

}
