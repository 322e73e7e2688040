package dev.savedtracks.web;

import java.util.DoubleSummaryStatistics;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library of 10,000 tracks in the browser: search filters as you type, and the covers
 * of the table cost little. The page records each keystroke's filtering as a User Timing
 * measure; the time is logged, and only a generous bound is asserted, since a test on a
 * shared machine is no benchmark (the target is under 100 ms).
 */
class LargeLibraryBrowserTest extends EmulatedSpotifyTest {

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

	private static final Logger log = LoggerFactory.getLogger(LargeLibraryBrowserTest.class);

	@Test
	@SuppressWarnings("unchecked")
	void searchFiltersTenThousandTracksAsYouType() {
		EmulatedUser user = newUser(10_000);
		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> this.chromium.text("page").equals("1–100 of 10000"));
		WebElement search = this.chromium.browser().findElement(By.id("search"));

		search.sendKeys("midnight nora");
		this.chromium.waiting().until(d -> this.chromium.text("match-count").endsWith("of 10000 match"));
		search.sendKeys("x");
		this.chromium.waiting().until(d -> this.chromium.text("page").equals("No tracks"));

		List<Number> durations = (List<Number>) this.chromium
			.script("return performance.getEntriesByName('saved-tracks:filter').map((e) => e.duration)");
		DoubleSummaryStatistics stats = durations.stream().mapToDouble(Number::doubleValue).summaryStatistics();
		log.info("Filtering 10,000 tracks per keystroke: {} keystrokes, mean {} ms, max {} ms", stats.getCount(),
				Math.round(stats.getAverage()), Math.round(stats.getMax()));
		assertThat(durations).hasSize("midnight nora".length() + 1);
		assertThat(stats.getMax()).as("slowest keystroke, ms").isLessThan(1000);
	}

	@Test
	void coversAreSmallAndLoadedLazily() {
		EmulatedUser user = newUser(2000);
		this.chromium.covers().forget();

		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !this.chromium.covers().requested().isEmpty());

		List<WebElement> images = this.chromium.browser().findElements(By.cssSelector("#tracks img"));
		assertThat(images).hasSizeGreaterThan(95)
			.allSatisfy((image) -> assertThat(image.getDomProperty("loading")).isEqualTo("lazy"))
			.allSatisfy((image) -> assertThat(image.getDomAttribute("alt")).isEmpty());
		// The API reports Spotify's 640-pixel covers; the table asks for the 64-pixel
		// ones.
		assertThat(this.chromium.covers().requested())
			.allSatisfy((path) -> assertThat(path).startsWith("/image/ab67616d00004851"));
		log.info("Covers requested for the first page of 100 rows, before scrolling: {}",
				this.chromium.covers().requested().size());
		assertThat(this.chromium.covers().requested()).as("covers far below the fold wait for scrolling")
			.hasSizeLessThan(images.size());
		// Every 97th generated track has no cover: a plain square stands in, not a broken
		// image.
		assertThat(this.chromium.browser().findElements(By.cssSelector("#tracks .cover.missing"))).hasSize(1);
	}

}
