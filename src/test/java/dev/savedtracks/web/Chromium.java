package dev.savedtracks.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.ScriptTimeoutException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Sleeper;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for each test, by composition
 * ({@code @RegisterExtension final Chromium chromium = new
 * Chromium(this::appUrl)}): Debian's headless Chromium driven by Selenium through
 * Debian's chromedriver (never a downloaded browser), launched once per JVM and handed to
 * each test as a new one would be (no cookies, no cache, no emulation). Skipped where
 * Chromium is not installed, except under {@code CI=true}, where that fails. Screenshots
 * of the main states land in {@code target/screenshots}. Album covers come from a
 * {@link CoverServer} standing in for Spotify's image CDN, downloads land in a fresh
 * directory per test ({@link #downloads}), and the colour scheme and a phone's viewport
 * are emulated through the DevTools protocol.
 */
final class Chromium implements BeforeEachCallback, AfterEachCallback {

	static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path
		.of(System.getenv().getOrDefault("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver"));

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static @Nullable ChromeDriver shared;

	private final Supplier<String> appUrl;

	private final CoverServer covers = CoverServer.get();

	private @Nullable WebDriver browser;

	/** Where the browser saves downloads in this test. */
	private @Nullable Path downloads;

	/** Scripts this test added to every page ({@link #beforePageScripts}). */
	private final List<String> pageScripts = new ArrayList<>();

	/**
	 * A browser for each test of a class, signing in to the application at
	 * {@code appUrl}.
	 */
	Chromium(Supplier<String> appUrl) {
		this.appUrl = appUrl;
	}

	private static void chromiumAvailable() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		String reason = "Chromium and chromedriver are needed at " + CHROMIUM + " and " + CHROMEDRIVER
				+ " (apt-get install chromium chromium-driver)";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(reason);
		}
		Assumptions.abort(reason);
	}

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		chromiumAvailable();
		this.downloads = Files.createTempDirectory("chromium-downloads").toAbsolutePath();
		ChromeDriver chrome;
		try {
			chrome = fresh(shared(), this.downloads);
		}
		catch (WebDriverException broken) {
			// The shared browser answers but cannot be reset: a new one, once.
			dropShared();
			chrome = fresh(shared(), this.downloads);
		}
		this.browser = chrome;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.browser != null) {
			try {
				for (String script : this.pageScripts) {
					chrome().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
							Map.of("identifier", script));
				}
				this.pageScripts.clear();
				// Stops the page's polling before the next test (or its application)
				// starts.
				this.browser.get("about:blank");
			}
			catch (WebDriverException ex) {
				// Relaunched for the next test.
			}
			this.browser = null;
		}
	}

	/**
	 * The browser every test of this JVM shares: launching one takes a second or two of
	 * CPU, and each test gets it back as a new one would be (see {@link #fresh}). Quit
	 * when the JVM exits; relaunched if it died.
	 */
	private static synchronized ChromeDriver shared() throws IOException {
		if (shared != null) {
			try {
				shared.getWindowHandle();
				return shared;
			}
			catch (WebDriverException gone) {
				dropShared();
			}
		}
		ChromeDriver launched = launch();
		shared = launched;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> quit(launched), "chromium-quit"));
		return launched;
	}

	private static ChromeDriver launch() throws IOException {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1600",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile").toAbsolutePath());
		options.addArguments(CoverServer.get().chromiumArguments());
		options.setExperimentalOption("prefs", Map.of("download.prompt_for_download", false));
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

	/**
	 * The shared browser as a new one would be: a blank page, no cookies, nothing cached,
	 * no emulated screen or colour scheme, no console messages, and downloads saved to
	 * {@code downloads}.
	 */
	private static ChromeDriver fresh(ChromeDriver chrome, Path downloads) {
		chrome.get("about:blank");
		chrome.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		chrome.executeCdpCommand("Network.clearBrowserCache", Map.of());
		chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		chrome.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", false));
		chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
		chrome.executeCdpCommand("Browser.setDownloadBehavior",
				Map.of("behavior", "allow", "downloadPath", downloads.toString()));
		chrome.manage().logs().get(LogType.BROWSER);
		return chrome;
	}

	private static synchronized void dropShared() {
		if (shared != null) {
			quit(shared);
			shared = null;
		}
	}

	private static void quit(WebDriver browser) {
		try {
			browser.quit();
		}
		catch (WebDriverException ex) {
			// Already gone.
		}
	}

	/** The browser of the running test. */
	WebDriver browser() {
		return Objects.requireNonNull(this.browser, "no test is running");
	}

	/**
	 * Waits up to 20 s for a condition in the browser: checked every 50 ms for the first
	 * half second (most waits end there, and Selenium's 500 ms would overshoot them by a
	 * quarter of a second on average), then less and less often, up to every 250 ms. Each
	 * check is two or three WebDriver commands, each of which costs Chromium about 5 ms
	 * of CPU and chromedriver 2 ms, for as long as a test waits (in paired full runs of
	 * verify the saving was 2-12 s of Chromium's CPU, within the noise of its time).
	 */
	WebDriverWait waiting() {
		return new WebDriverWait(browser(), Duration.ofSeconds(20), Duration.ofMillis(50), Clock.systemDefaultZone(),
				new BackingOff());
	}

	/**
	 * Sleeps the polling interval for the first half second of a wait, then half as long
	 * again each time, up to 250 ms.
	 */
	private static final class BackingOff implements Sleeper {

		private static final long FIRST_NANOS = Duration.ofMillis(500).toNanos();

		private static final long LONGEST_MILLIS = 250;

		private final long since = System.nanoTime();

		private long millis;

		@Override
		public void sleep(Duration interval) throws InterruptedException {
			this.millis = (System.nanoTime() - this.since < FIRST_NANOS) ? interval.toMillis()
					: Math.min(LONGEST_MILLIS, Math.max(interval.toMillis(), this.millis * 3 / 2));
			Thread.sleep(this.millis);
		}

	}

	/** Where the browser saves downloads in this test. */
	Path downloads() {
		return Objects.requireNonNull(this.downloads, "no test is running");
	}

	/** The stand-in for Spotify's image CDN. */
	CoverServer covers() {
		return this.covers;
	}

	/**
	 * Runs {@code script} in every page this test opens, before the page's own scripts
	 * (to slow or observe what the page does).
	 */
	void beforePageScripts(String script) {
		Map<String, Object> added = chrome().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
				Map.of("source", script));
		this.pageScripts.add((String) added.get("identifier"));
	}

	/**
	 * Signs in through the emulator's consent page and waits until the page has loaded
	 * the library (or shown why it could not).
	 */
	void signInAs(String username) {
		browser().get(this.appUrl.get() + "/");
		browser().findElement(By.id("sign-in")).click();
		browser().findElement(By.id("username")).sendKeys(username);
		browser().findElement(By.cssSelector("button[value=accept]")).click();
		waitUntilLoaded();
	}

	/**
	 * Waits until the page's load of the library has ended: the tracks, the charts and
	 * the summary are in place, or the problem is shown.
	 */
	void waitUntilLoaded() {
		waitInPage("document.getElementById('overview')?.getAttribute('aria-busy') === 'false'");
	}

	/** Waits up to 20 s until an element matches {@code selector}. */
	void waitForElement(String selector) {
		waitInPage("document.querySelector(" + jsString(selector) + ") !== null");
	}

	/**
	 * Waits up to 20 s until the JavaScript {@code condition} holds in the page: checked
	 * by the page itself every 20 ms, in one WebDriver command per few seconds, instead
	 * of the several commands of each check from here, which a long wait (a sync) repeats
	 * many times. A page that unloads while it waits (a redirect still under way) is
	 * waited on again in the page that follows.
	 */
	void waitInPage(String condition) {
		String script = """
				const done = arguments[arguments.length - 1];
				const until = Date.now() + 4000;
				const check = () => {
					let holds = false;
					try { holds = Boolean(%s); } catch (e) { holds = false; }
					if (holds || Date.now() > until) { done(holds); } else { setTimeout(check, 20); }
				};
				check();
				""".formatted(condition);
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try {
				if (Boolean.TRUE.equals(chrome().executeAsyncScript(script))) {
					return;
				}
			}
			catch (JavascriptException | ScriptTimeoutException | StaleElementReferenceException navigated) {
				// The page unloaded while it was checked: check the next one.
			}
			if (System.nanoTime() - deadline > 0) {
				throw new TimeoutException("Waited 20 s for " + condition + " in " + browser().getCurrentUrl());
			}
		}
	}

	private static String jsString(String text) {
		return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

	String text(String id) {
		return browser().findElement(By.id(id)).getText();
	}

	void screenshot(String name) {
		save(name, ((TakesScreenshot) browser()).getScreenshotAs(OutputType.BYTES));
	}

	/**
	 * A screenshot of the whole page, beyond the viewport, as a person scrolling down
	 * would see it.
	 */
	@SuppressWarnings("unchecked")
	void fullPageScreenshot(String name) {
		Map<String, Object> metrics = chrome().executeCdpCommand("Page.getLayoutMetrics", Map.of());
		Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
		Map<String, Object> shot = chrome().executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip",
						Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1)));
		save(name, Base64.getDecoder().decode((String) shot.get("data")));
	}

	private static void save(String name, byte[] png) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(SCREENSHOTS.resolve(name + ".png"), png);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	ChromeDriver chrome() {
		return (ChromeDriver) browser();
	}

	/**
	 * Emulates the person's colour-scheme preference: {@code "light"} or {@code "dark"}.
	 */
	void prefersColorScheme(String scheme) {
		chrome().executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	/**
	 * Emulates a phone of {@code width} CSS pixels (a touch screen, the viewport meta tag
	 * honoured).
	 */
	void phoneViewport(int width) {
		chrome().executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", 844, "deviceScaleFactor", 2, "mobile", true));
		chrome().executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true));
	}

	/**
	 * The browser's console messages since the last call (errors, warnings, failed
	 * loads).
	 */
	List<String> consoleMessages() {
		List<String> messages = new ArrayList<>();
		for (LogEntry entry : browser().manage().logs().get(LogType.BROWSER)) {
			messages.add(entry.getLevel() + " " + entry.getMessage());
		}
		return messages;
	}

	Object script(String script, Object... arguments) {
		return chrome().executeScript(script, arguments);
	}

}
