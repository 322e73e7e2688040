package dev.savedtracks.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the signed-in page looks in light and dark mode, on a desktop and on a 390-pixel
 * phone: full-page screenshots in {@code target/screenshots} (look at them), and the
 * checks a screenshot cannot be trusted with.
 */
class LookBrowserTest extends EmulatedSpotifyTest {

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

	/**
	 * One library for every colour scheme and width: the first case syncs it, the others
	 * sign in to its copy (the page is the same; three syncs of 3,000 tracks fewer).
	 */
	private static EmulatedUser screenshotPerson;

	@ParameterizedTest(name = "{0} mode, {1} px wide")
	@CsvSource({ "light, 1280", "dark, 1280", "light, 390", "dark, 390" })
	void signedInPageFitsTheScreenInEitherColourScheme(String scheme, int width) {
		if (screenshotPerson == null) {
			screenshotPerson = newUser(3000).displayName("Screenshot Person");
		}
		EmulatedUser user = screenshotPerson;
		this.chromium.prefersColorScheme(scheme);
		if (width < 1280) {
			this.chromium.phoneViewport(width);
		}

		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#timeline svg")).isEmpty());
		this.chromium.waiting()
			.until(d -> Boolean.TRUE.equals(this.chromium.script("return [...document.querySelectorAll('#tracks img')]"
					+ ".slice(0, 5).every((img) => img.complete && img.naturalWidth > 0)")));

		this.chromium.fullPageScreenshot("page-" + scheme + "-" + width);
		assertThat(this.chromium.script("return document.documentElement.scrollWidth")).as("no sideways scrolling")
			.isEqualTo((long) width);
		String background = (String) this.chromium.script("return getComputedStyle(document.body).backgroundColor");
		assertThat(background).isEqualTo(scheme.equals("dark") ? "rgb(18, 18, 18)" : "rgb(255, 255, 255)");
	}

	@Test
	void pageLoadsWithoutAFailedRequest() throws Exception {
		EmulatedUser user = newUser(20);

		this.chromium.signInAs(user.id());
		this.chromium.consoleMessages(); // what the emulator's consent page logged

		this.chromium.browser().navigate().refresh();
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#per-year svg")).isEmpty());

		assertThat(this.chromium.consoleMessages()).as("console").noneMatch((message) -> message.startsWith("SEVERE"));
		HttpResponse<byte[]> favicon = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(appUrl() + "/favicon.ico")).build(),
					HttpResponse.BodyHandlers.ofByteArray());
		assertThat(favicon.statusCode()).isEqualTo(200);
		assertThat(favicon.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).isIn("image/x-icon", "image/vnd.microsoft.icon"));
		assertThat(favicon.body()).startsWith(0, 0, 1, 0);
	}

}
