package dev.savedtracks.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.savedtracks.EmulatedSpotifyTest;

/**
 * Tests in a real browser: Debian's headless Chromium driven by Selenium through Debian's chromedriver (never a
 * downloaded browser). Skipped where Chromium is not installed, except under {@code CI=true}, where that fails.
 * Screenshots of the main states land in {@code target/screenshots}.
 */
abstract class BrowserTest extends EmulatedSpotifyTest {

	static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path
		.of(System.getenv().getOrDefault("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver"));

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	protected WebDriver browser;

	protected WebDriverWait waiting;

	@BeforeAll
	static void chromiumAvailable() {
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

	@BeforeEach
	void openBrowser() throws IOException {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1600",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile").toAbsolutePath());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.waiting = new WebDriverWait(this.browser, Duration.ofSeconds(20));
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	/** Signs in through the emulator's consent page and waits for the library table. */
	protected void signInAs(String username) {
		this.browser.get(appUrl() + "/");
		this.browser.findElement(By.id("sign-in")).click();
		this.browser.findElement(By.id("username")).sendKeys(username);
		this.browser.findElement(By.cssSelector("button[value=accept]")).click();
		this.waiting.until(d -> !d.findElements(By.cssSelector("#tracks tr")).isEmpty()
				|| d.findElement(By.id("problem")).isDisplayed());
	}

	protected String text(String id) {
		return this.browser.findElement(By.id(id)).getText();
	}

	protected void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			byte[] png = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.BYTES);
			Files.write(SCREENSHOTS.resolve(name + ".png"), png);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
